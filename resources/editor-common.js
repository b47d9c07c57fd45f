/* Shared by the edit dialogs of node-red-contrib-utmos-dji (served by Node-RED at
 * resources/node-red-contrib-utmos-dji/editor-common.js and loaded before each node's definition):
 * translation, validators and port labels (forNode), the single-connection preselect, spinners and
 * typed inputs of a dialog, and the payload template button. */
(function (global) {
    'use strict';
    if (global.UtmosDjiEditor) {
        return;
    }

    var PACKAGE = 'node-red-contrib-utmos-dji';
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

    function trimmed(v) {
        return String(v === undefined || v === null ? '' : v).trim();
    }

    /**
     * Number validator for min..max (`exclusiveMin`: above min; `integer`: a whole number;
     * `digits`: written in digits only). The message under `key` may use __min__ and __max__.
     * The range also sizes the field's spinner (see prepareDialog); `spinner` overrides its
     * min and step.
     */
    function numberValidator(tr, min, max, key, opts) {
        var o = opts || {};
        var validate = function (v, opt) {
            var s = trimmed(v);
            var n = Number(s);
            var ok = s !== '' && isFinite(n) && (o.exclusiveMin ? n > min : n >= min) && n <= max &&
                (!o.integer || Math.floor(n) === n) && (!o.digits || /^[0-9]+$/.test(s));
            return ok ? true : tr(this, key, { min: min, max: max });
        };
        validate.spinner = { min: min, max: max };
        Object.keys(o.spinner || {}).forEach(function (k) {
            validate.spinner[k] = o.spinner[k];
        });
        return validate;
    }

    /** Validator for a text field whose trimmed value must match `pattern`. */
    function patternValidator(tr, pattern, key) {
        return function (v, opt) {
            return pattern.test(trimmed(v)) ? true : tr(this, key);
        };
    }

    /**
     * The helpers of one node type's definition, bound to its message catalogue: `tr`, validators
     * (a typed input's falls back to the text under `<type>.errors.invalid`) and `text(key)`, a
     * label function (inputLabels, outputLabels) giving the text under `key`, or under key[port].
     */
    function forNode(type) {
        var tr = translator(PACKAGE + '/' + type + ':');
        return {
            tr: tr,
            typed: function (typeField, requiredKey) {
                return typedValidator(tr, typeField, requiredKey, type + '.errors.invalid');
            },
            number: function (min, max, key, opts) {
                return numberValidator(tr, min, max, key, opts);
            },
            pattern: function (pattern, key) {
                return patternValidator(tr, pattern, key);
            },
            text: function (key) {
                return function (port) {
                    return tr(this, Array.isArray(key) ? key[port] : key);
                };
            }
        };
    }

    /** labelStyle of every node: a name the user gave is shown in italics. */
    function labelStyle() {
        return this.name ? 'node_label_italic' : '';
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

    /**
     * The start of every oneditprepare: the only connection preselected (in nodes that have one),
     * and a spinner on each number field over the range its validator accepts.
     */
    function prepareDialog(node) {
        var defaults = node._def.defaults;
        var prefix = node._def.category === 'config' ? '#node-config-input-' : '#node-input-';
        if (defaults.server && defaults.server.type === CONFIG_TYPE) {
            preselectConnection(node);
        }
        Object.keys(defaults).forEach(function (prop) {
            var validate = defaults[prop].validate;
            if (validate && validate.spinner && $.fn.spinner) {
                $(prefix + prop).spinner(validate.spinner);
            }
        });
    }

    /** The types of a text typed in the dialog or read at run time. */
    var TEXT_TYPES = ['str', 'msg', 'flow', 'global', 'env', 'jsonata'];
    /** The same, message property first: for what usually comes with the message (an id to wait for or answer). */
    var MESSAGE_TYPES = ['msg', 'flow', 'global', 'str', 'env', 'jsonata'];

    /**
     * In oneditprepare: the typed inputs of a dialog, by property, with the types each offers; the
     * type is kept in the hidden #node-input-<property>Type.
     */
    function typedInputs(types) {
        Object.keys(types).forEach(function (prop) {
            $('#node-input-' + prop).typedInput({ typeField: '#node-input-' + prop + 'Type', types: types[prop].slice() });
        });
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
     * question shown below `row`, never in a native confirm dialog. The question and its buttons
     * are the node's texts under `keys` + confirmReplace, replace and keep.
     */
    function templateFiller(node, input, row, keys) {
        var confirmRow = $('<div class="utmos-template-confirm"><span class="utmos-template-question"></span></div>');
        ['replace', 'keep'].forEach(function (choice) {
            $('<button type="button" class="red-ui-button red-ui-button-small"></button>')
                .attr('data-choice', choice).text(node._(keys + choice)).appendTo(confirmRow);
        });
        confirmRow.insertAfter(row);
        var lastFilled = null;

        /** A template is a JSON value, or `{expression}`: a JSONata expression that reads the message. */
        function fill(template) {
            confirmRow.hide();
            if (isExpression(template)) {
                input.typedInput('type', 'jsonata');
                input.typedInput('value', template.expression);
                lastFilled = 'jsonata:' + template.expression;
                return;
            }
            input.typedInput('type', 'json');
            input.typedInput('value', JSON.stringify(template, null, 2));
            lastFilled = JSON.stringify(template);
        }

        function isExpression(template) {
            return template !== null && typeof template === 'object' && typeof template.expression === 'string';
        }

        /** A payload the user has not changed: empty JSON, {} or the template filled in last. */
        function unchangedJson() {
            var type = input.typedInput('type');
            var text = String(input.typedInput('value') || '').trim();
            if (type === 'jsonata') {
                return lastFilled !== null && 'jsonata:' + text === lastFilled;
            }
            if (type !== 'json') {
                return false;
            }
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
                lastFilled = !template ? null : isExpression(template) ? 'jsonata:' + template.expression : JSON.stringify(template);
            },
            /** Another command was chosen: follow it while the JSON payload is still a template. */
            follow: function (template) {
                if (template && unchangedJson()) {
                    fill(template);
                    return true;
                }
                return false;
            },
            /** The button: fill, or ask inline first when the payload is the user's own (`question`: the texts' placeholders). */
            request: function (template, question) {
                if (nothingToLose()) {
                    fill(template);
                    return;
                }
                confirmRow.find('.utmos-template-question').text(node._(keys + 'confirmReplace', question));
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
        forNode: forNode,
        currentType: currentType,
        labelStyle: labelStyle,
        adoptSingleConnection: adoptSingleConnection,
        prepareDialog: prepareDialog,
        typedInputs: typedInputs,
        TEXT_TYPES: TEXT_TYPES,
        MESSAGE_TYPES: MESSAGE_TYPES,
        templateFiller: templateFiller
    };
})(window);
