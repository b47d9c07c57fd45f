/* Shared by the edit dialogs of node-red-contrib-utmos-dji (served by Node-RED at
 * resources/node-red-contrib-utmos-dji/editor-common.js and loaded before each node's definition). */
(function (global) {
    'use strict';
    if (global.UtmosDjiEditor) {
        return;
    }

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

    global.UtmosDjiEditor = { translator: translator, currentType: currentType, typedValidator: typedValidator };
})(window);
