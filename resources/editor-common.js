/* Shared by the edit dialogs of node-red-contrib-utmos-dji (served by Node-RED at
 * resources/node-red-contrib-utmos-dji/editor-common.js and loaded before each node's definition). */
(function (global) {
    'use strict';
    if (global.UtmosDjiEditor) {
        return;
    }

    var CONFIG_TYPE = 'utmos-config';

    /** A translator for one node's catalogue; validators run with `this` = the node. */
    function translator(namespace) {
        return function tr(node, key, opts) {
            if (node && typeof node._ === 'function') {
                return node._(key, opts);
            }
            return RED._(namespace + key, opts);
        };
    }

    /** The current type of a typed input: the open dialog's hidden field first, else the node's property. */
    function currentType(node, typeField) {
        var el = $('#node-input-' + typeField);
        var t = el && el.length ? el.val() : undefined;
        return t || (node ? node[typeField] : undefined);
    }

    /**
     * Typed-input validator: with `requiredKey`, an empty literal (str/env) value is invalid and the
     * message under that key is shown; other types go through Node-RED's own typedInput validator
     * (msg path, JSON, JSONata syntax), whose failure falls back to the message under `invalidKey`.
     */
    function typedValidator(tr, typeField, requiredKey, invalidKey) {
        var base = RED.validators && typeof RED.validators.typedInput === 'function'
            ? RED.validators.typedInput(typeField)
            : null;
        return function (v, opt) {
            var type = currentType(this, typeField);
            var s = v === undefined || v === null ? '' : String(v);
            if (requiredKey && (type === 'str' || type === 'env') && s.trim() === '') {
                return tr(this, requiredKey);
            }
            if (type === 'str' && !requiredKey) {
                return true;
            }
            if (base) {
                var r = base.call(this, v, opt);
                if (r !== true) {
                    return r || tr(this, invalidKey);
                }
            }
            return true;
        };
    }

    /** The id of the only UTMOS connection a node on the active tab can use, when there is exactly one. */
    function singleConnection() {
        var active = RED.workspaces && typeof RED.workspaces.active === 'function' ? RED.workspaces.active() : undefined;
        var ids = [];
        RED.nodes.eachConfig(function (config) {
            if (config.type === CONFIG_TYPE && (!config.z || config.z === active)) {
                ids.push(config.id);
            }
        });
        return ids.length === 1 ? ids[0] : undefined;
    }

    /**
     * `onadd` of every node with a connection: a node dropped from the palette takes the connection
     * when there is only one. Nodes already in the flow (pasted, imported) keep what they have.
     */
    function adoptSingleConnection() {
        if (!this.server && !RED.nodes.node(this.id)) {
            var id = singleConnection();
            if (id) {
                this.server = id;
            }
        }
    }

    /** In oneditprepare (the connection select is filled by then): preselect the only connection. */
    function preselectConnection(node) {
        if (node.server) {
            return;
        }
        var id = singleConnection();
        if (id) {
            $('#node-input-server').val(id).trigger('change');
        }
    }

    function canonicalJson(text) {
        try {
            return JSON.stringify(JSON.parse(text));
        } catch (e) {
            return null;
        }
    }

    /**
     * "Use payload template" for a typed input. A payload that is empty, {} or still the template
     * filled in last is replaced at once; one the user edited is replaced only after an inline
     * question shown below `row` (with the buttons labelled `labels.replace` / `labels.keep`),
     * never through a native confirm().
     */
    function templateFiller(input, row, labels) {
        var confirmRow = $('<div class="utmos-template-confirm"><span class="utmos-template-question"></span></div>');
        [['replace', labels.replace], ['keep', labels.keep]].forEach(function (choice) {
            $('<button type="button" class="red-ui-button red-ui-button-small"></button>')
                .attr('data-choice', choice[0]).text(choice[1]).appendTo(confirmRow);
        });
        confirmRow.insertAfter(row);
        var lastFilled = null;

        function fill(template) {
            confirmRow.hide();
            input.typedInput('type', 'json');
            input.typedInput('value', JSON.stringify(template, null, 2));
            lastFilled = JSON.stringify(template);
        }

        /** A JSON payload the user has not changed: empty, {} or the template filled in last. */
        function unchangedJson() {
            if (input.typedInput('type') !== 'json') {
                return false;
            }
            var text = String(input.typedInput('value') || '').trim();
            var canonical = text === '' ? '{}' : canonicalJson(text);
            return canonical === '{}' || (lastFilled !== null && canonical === lastFilled);
        }

        /** Nothing of the user's own to lose: an unchanged JSON payload, "none", or the old default msg.payload. */
        function nothingToLose() {
            var type = input.typedInput('type');
            return unchangedJson() || type === 'none' || (type === 'msg' && input.typedInput('value') === 'payload');
        }

        return {
            /** The template the payload is known to come from (e.g. the command's, when the dialog opens). */
            remember: function (template) {
                lastFilled = template ? JSON.stringify(template) : null;
            },
            /** Another command was chosen: follow it while the JSON payload is still a template. */
            follow: function (template) {
                if (template && unchangedJson()) {
                    fill(template);
                    return true;
                }
                return false;
            },
            /** The button: fill, or ask inline first when the payload is the user's own. */
            request: function (template, question) {
                if (nothingToLose()) {
                    fill(template);
                    return;
                }
                confirmRow.find('.utmos-template-question').text(question);
                confirmRow.find('[data-choice="replace"]').off('click').on('click', function (e) {
                    e.preventDefault();
                    fill(template);
                });
                confirmRow.find('[data-choice="keep"]').off('click').on('click', function (e) {
                    e.preventDefault();
                    confirmRow.hide();
                });
                confirmRow.show();
            },
            dismiss: function () {
                confirmRow.hide();
            }
        };
    }

    global.UtmosDjiEditor = {
        translator: translator,
        currentType: currentType,
        typedValidator: typedValidator,
        singleConnection: singleConnection,
        adoptSingleConnection: adoptSingleConnection,
        preselectConnection: preselectConnection,
        templateFiller: templateFiller
    };
})(window);
