/* The command picker of the dji-command dialog (served by Node-RED at
 * resources/node-red-contrib-utmos-dji/command-picker.js): the DJI catalogue by domain, the chosen
 * command's fields and payload template, and the check of a static JSON payload. Node-RED loads the
 * resource scripts in no fixed order, so editor-common.js is only used once the dialog runs. */
(function (global) {
    'use strict';
    if (global.UtmosDjiCommandPicker) {
        return;
    }

    /** What the payload check said, by command and payload text (the payload validator reads it). */
    var payloadProblems = {};

    function checkKey(commandType, payload) {
        return commandType + '\n' + String(payload);
    }

    /** The command a validator should check against: the open dialog's, else the node's. */
    function currentCommand(node) {
        var el = $('#node-input-commandType');
        return el.length ? el.val() : node.commandType;
    }

    /** Whether the payload is checked against the method's schema: the open dialog's box, else the node's setting. */
    function schemaChecked(node) {
        var el = $('#node-input-checkPayload');
        return el.length ? el.prop('checked') : node.checkPayload !== false;
    }

    /** For the payload validator: what the check said of this static JSON payload ('' when nothing is known against it). */
    function payloadProblem(node, payload) {
        if (global.UtmosDjiEditor.currentType(node, 'payloadType') !== 'json' || !schemaChecked(node)) {
            return '';
        }
        return payloadProblems[checkKey(currentCommand(node), payload)] || '';
    }

    /** The fields table of a catalogue entry, with its notes (debug mode, where the names come from). */
    function renderInfo(node, info, entry) {
        info.empty();
        if (!entry) {
            info.hide();
            return;
        }
        var notes = [];
        if (entry.nameSource === 'inferred') {
            notes.push(node._('dji-command.picker.nameInferred'));
        }
        if (entry.payloadSource === 'dji') {
            notes.push(node._('dji-command.picker.payloadFromDji'));
        } else if (entry.payloadSource === 'unknown') {
            notes.push(node._('dji-command.picker.payloadUnknown'));
        }
        if (entry.summary) {
            $('<div class="utmos-command-summary"></div>').text(entry.summary).appendTo(info);
        }
        if (entry.needsDebugMode) {
            $('<div class="utmos-command-debug-mode"><i class="fa fa-exclamation-triangle"></i> <span></span></div>')
                .find('span')
                .text(node._('dji-command.picker.needsDebugMode'))
                .end()
                .appendTo(info);
        }
        notes.forEach(function (n) {
            $('<div class="utmos-command-note"><i class="fa fa-info-circle"></i> <span></span></div>').find('span').text(n).end().appendTo(info);
        });
        var fields = Array.isArray(entry.fields) ? entry.fields : [];
        if (fields.length === 0) {
            $('<div class="utmos-command-note"></div>').text(node._('dji-command.picker.noFields')).appendTo(info);
        } else {
            var table = $('<table class="utmos-command-fields"></table>');
            var head = $('<tr></tr>').appendTo($('<thead></thead>').appendTo(table));
            ['field', 'type', 'description'].forEach(function (k) {
                $('<th></th>')
                    .text(node._('dji-command.picker.column.' + k))
                    .appendTo(head);
            });
            var body = $('<tbody></tbody>').appendTo(table);
            fields.forEach(function (f) {
                var row = $('<tr></tr>').appendTo(body);
                var name = $('<td class="utmos-command-field-path"></td>').appendTo(row);
                $('<code></code>').text(f.path).appendTo(name);
                if (f.required) {
                    $('<span class="utmos-command-required"> *</span>').attr('title', node._('dji-command.picker.required')).appendTo(name);
                }
                var type = String(f.type || '');
                var extra = [];
                if (Array.isArray(f.enum) && f.enum.length) {
                    extra.push(
                        f.enum
                            .map(function (e) {
                                return JSON.stringify(e);
                            })
                            .join(' | ')
                    );
                }
                if (f.min !== undefined && f.min !== null) {
                    extra.push('≥ ' + f.min);
                }
                if (f.max !== undefined && f.max !== null) {
                    extra.push('≤ ' + f.max);
                }
                $('<td></td>')
                    .text(type + (extra.length ? ' (' + extra.join(', ') + ')' : ''))
                    .appendTo(row);
                $('<td></td>')
                    .text(f.description || '')
                    .appendTo(row);
            });
            table.appendTo(info);
            $('<div class="utmos-command-note"></div>').text(node._('dji-command.picker.requiredLegend')).appendTo(info);
        }
        info.show();
    }

    /** In oneditprepare, once the typed inputs exist: the picker, the template button and the payload check. */
    function attach(node) {
        var catalogue = {};
        var syncing = false;
        var picker = $('#utmos-dji-command-picker');
        var templateButton = $('#utmos-dji-command-template');
        var info = $('#utmos-dji-command-info');
        var notice = $('#utmos-dji-command-notice');
        var problem = $('#utmos-dji-command-payload-problem');
        var payloadInput = $('#node-input-payload');
        var templates = global.UtmosDjiEditor.templateFiller(node, payloadInput, templateButton.closest('.form-row'), 'dji-command.picker.');

        /** Answers that arrive after the dialog closed have nothing left to update (its widgets are gone). */
        function dialogOpen() {
            return $.contains(document.documentElement, picker[0]);
        }

        function selectedMethod() {
            var m = picker.val();
            return m && catalogue[m] ? catalogue[m] : null;
        }

        function showEntry(entry) {
            templateButton.prop('disabled', !entry || !entry.template);
            renderInfo(node, info, entry);
        }

        // The check of a static JSON payload runs in the runtime (POST utmos-dji/payload-check),
        // with the very function the node uses before sending, so both give the same message.
        var checkTimer = null;
        function showProblem(text) {
            problem.text(text || '').toggle(!!text);
        }
        function revalidatePayload() {
            payloadInput.trigger('change', [payloadInput.typedInput('type'), payloadInput.typedInput('value')]);
        }
        // `commandChanged`: the answer for this payload may differ, so let Node-RED mark the field again.
        function checkPayload(commandChanged) {
            clearTimeout(checkTimer);
            var command = $('#node-input-commandType').typedInput('value');
            var known = $('#node-input-commandType').typedInput('type') === 'str' && catalogue[command];
            var text = payloadInput.typedInput('value');
            if (!known || payloadInput.typedInput('type') !== 'json' || !schemaChecked(node)) {
                showProblem('');
                return;
            }
            var key = checkKey(command, text);
            if (Object.prototype.hasOwnProperty.call(payloadProblems, key)) {
                showProblem(payloadProblems[key]);
                if (commandChanged) {
                    revalidatePayload();
                }
                return;
            }
            try {
                JSON.parse(text);
            } catch (e) {
                showProblem('');
                return; // Node-RED's own JSON check marks it
            }
            checkTimer = setTimeout(function () {
                $.ajax({
                    url: 'utmos-dji/payload-check',
                    method: 'POST',
                    contentType: 'application/json',
                    data: JSON.stringify({ commandType: command, payload: text, checkPayload: true }),
                    dataType: 'json',
                }).done(function (res) {
                    payloadProblems[key] = res && res.ok === false ? String(res.message || '') : '';
                    if (dialogOpen() && $('#node-input-commandType').typedInput('value') === command && payloadInput.typedInput('value') === text) {
                        showProblem(payloadProblems[key]);
                        revalidatePayload();
                    }
                });
            }, 250);
        }

        // Keep the picker in step with the command typed input.
        function syncPickerFromInput() {
            if (syncing) {
                return;
            }
            var type = $('#node-input-commandType').typedInput('type');
            var value = $('#node-input-commandType').typedInput('value');
            var method = type === 'str' && catalogue[value] ? value : '';
            if (picker.val() !== method) {
                picker.val(method);
            }
            showEntry(method ? catalogue[method] : null);
            checkPayload(true);
        }

        picker.on('change', function () {
            var entry = selectedMethod();
            if (entry) {
                syncing = true;
                try {
                    $('#node-input-commandType').typedInput('type', 'str');
                    $('#node-input-commandType').typedInput('value', entry.method);
                } finally {
                    syncing = false;
                }
                templates.dismiss();
                templates.follow(entry.template);
            }
            showEntry(entry);
            checkPayload(true);
        });
        $('#node-input-commandType').on('change', syncPickerFromInput);
        payloadInput.on('change', function () {
            checkPayload(false);
        });
        $('#node-input-checkPayload').on('change', function () {
            checkPayload(true);
            revalidatePayload();
        });

        templateButton.on('click', function (e) {
            e.preventDefault();
            var entry = selectedMethod();
            if (!entry || !entry.template) {
                return;
            }
            templates.request(entry.template, { command: entry.method });
        });

        templateButton.prop('disabled', true);
        info.hide();
        notice.hide();
        problem.hide();
        picker.prop('disabled', true);
        picker.find('option.utmos-loading').text(node._('dji-command.picker.loading'));

        $.getJSON('utmos-dji/catalogue', { lang: RED.i18n.lang() })
            .done(function (data) {
                if (!dialogOpen()) {
                    return;
                }
                var domains = data && Array.isArray(data.domains) ? data.domains : [];
                picker.find('option.utmos-loading').remove();
                $('<option value=""></option>').text(node._('dji-command.picker.choose')).appendTo(picker);
                domains.forEach(function (d) {
                    var group = $('<optgroup></optgroup>').attr('label', d.domain);
                    (Array.isArray(d.methods) ? d.methods : []).forEach(function (m) {
                        if (!m || !m.method) {
                            return;
                        }
                        catalogue[m.method] = m;
                        var text =
                            m.method +
                            (m.summary ? ' — ' + m.summary : '') +
                            (m.needsDebugMode ? ' (' + node._('dji-command.picker.debugModeShort') + ')' : '');
                        $('<option></option>').val(m.method).text(text).appendTo(group);
                    });
                    group.appendTo(picker);
                });
                picker.prop('disabled', false);
                var current = catalogue[node.commandTypeType === 'str' || !node.commandTypeType ? node.commandType : ''];
                if (current) {
                    templates.remember(current.template);
                }
                syncPickerFromInput();
            })
            .fail(function (xhr) {
                picker.find('option.utmos-loading').text(node._('dji-command.picker.unavailableOption'));
                var detail = xhr && xhr.status ? ' (HTTP ' + xhr.status + ')' : '';
                notice.find('span').text(node._('dji-command.picker.unavailable') + detail);
                notice.show();
            });
    }

    global.UtmosDjiCommandPicker = {
        attach: attach,
        payloadProblem: payloadProblem,
    };
})(window);
