/**
 * The English of every core text (see text.ts), by key. `__name__` marks a parameter, as in
 * Node-RED's i18n. The node adapters look the same keys up under "core." in their locales and use
 * these when a language has none. First lines say what happened, then (after ":" or ";") what to do.
 */
export const CORE_TEXTS = {
  // values received, in problem messages
  'value.bigint': '__value__n (a BigInt)',
  'value.function': 'a function',
  'value.symbol': 'a symbol',
  'value.array': 'an array of __count__',
  'value.object': 'an object',
  'value.unreadable': 'an unreadable value',
  'value.emptyString': 'an empty string',
  'value.anArray': 'an array',
  'value.nonPlainObject': 'a non-plain object',
  'value.aInstance': 'a __name__ object',
  'value.anInstance': 'an __name__ object',
  'value.nothing': 'nothing',

  // what a field expects
  'type.string': 'a string',
  'type.integer': 'an integer',
  'type.number': 'a number',
  'type.boolean': 'a boolean (true or false)',
  'type.object': 'an object',
  'type.array': 'an array',
  'type.nonEmptyString': 'a non-empty string',
  'typeName.string': 'string',
  'typeName.integer': 'integer',
  'typeName.number': 'number',
  'typeName.boolean': 'boolean (true or false)',
  'typeName.object': 'object',
  'typeName.array': 'array',
  'typeName.nonEmptyString': 'non-empty string',
  'count.character': '__n__ character',
  'count.characters': '__n__ characters',
  'count.item': '__n__ item',
  'count.items': '__n__ items',
  'expect.lengthExactly': '__what__ with exactly __count__',
  'expect.lengthBetween': '__what__ with __min__ to __count__',
  'expect.lengthAtLeast': '__what__ with at least __count__',
  'expect.lengthAtMost': '__what__ with at most __count__',
  'expect.between': '__what__ between __min__ and __max__',
  'expect.atLeast': '__what__ no less than __min__',
  'expect.atMost': '__what__ no greater than __max__',
  'expect.oneOf': 'one of __values__',
  'expect.matching': '__what__ matching /__pattern__/',
  'hint.enum': '__type__, __expect__',
  'hint.enumDescribed': '__type__, __expect__; __description__',
  'hint.described': '__expect__, __description__',
  'hint.seeDjiDocs': 'see the DJI docs',

  // payload problems (DJI catalogue)
  'payload.required': '__field__ is required (__hint__)',
  'payload.requiredWhen': '__field__ is required when __condition__ (__hint__)',
  'payload.invalid': '__field__ must be __expect__ (got __got__)',
  'payload.invalidDescribed': '__field__ must be __expect__ (got __got__); __description__',
  'payload.notObject': 'payload must be a JSON object; send {} when the command takes no parameters (got __got__)',
  'payload.tooLarge': '__root__ is too large (more than __max__ values); send less data',
  'payload.notFinite': '__path__ must be a finite number (got __got__); JSON cannot carry it',
  'payload.notJson': '__path__ is __got__, which is not JSON data; use a string, number, boolean, array or object',
  'payload.notPlain':
    '__path__ is __got__, not plain JSON data; convert it (e.g. a date to an ISO string or a number, a Map to an object, a Buffer to a base64 string)',
  'payload.moreProblems': '...and __count__ more problems',
  'payload.unreadable': 'payload could not be read (__why__); send plain JSON data',
  'command.notMethodName':
    'The command name "__name__" is not a DJI method name (lower-case letters, digits and "_", like "cover_open"): pick one from the node\'s command list',
  'command.notMethodNameSuggest':
    'The command name "__name__" is not a DJI method name (lower-case letters, digits and "_", like "cover_open"): did you mean __suggestions__?',
  'command.badPayload': 'Bad payload for __command__: __problem__',
  'command.badPayloadMore': 'Bad payload for __command__: __problem__ (and __count__ more problem(s))',
  'command.payloadNotObject': 'The payload must be a JSON object ({} when the command takes no parameters; got __got__)',
  'method.notName': 'command_type must be the name of a DJI method, like "cover_open" (got __got__)',
  'method.unknown': 'command_type __name__ is not one of the __count__ DJI methods UTMOS accepts; see the command catalogue for valid names',
  'method.unknownSuggest': 'command_type __name__ is not one of the __count__ DJI methods UTMOS accepts; did you mean __suggestions__?',

  // any JSON body
  'json.tooDeep': '__path__ is nested too deeply (more than __max__ levels); flatten the data',
  'json.cyclic': '__path__ refers back to one of its parents (cyclic object); send plain JSON data',
  'json.reservedKey': '__path__ is not allowed (reserved key); remove it',
  'json.loneSurrogate': '__path__ contains invalid Unicode text (a lone UTF-16 surrogate); send well-formed text',
  'json.keySurrogate': '__path__ has a key with invalid Unicode text (a lone UTF-16 surrogate); use well-formed keys',
  'json.notSerialisable': '__field__ cannot be serialised to JSON (__why__); remove circular references or BigInt values',

  // request fields (zod schemas)
  'schema.issue': '__field__ __problem__',
  'schema.issueAndMore': '__field__ __problem__ (and __count__ more problem(s))',
  'schema.plainObject': 'must be a JSON object (not an array, null or a string); use {} for commands without arguments',
  'schema.vendor': 'must be "dji"',
  'schema.string': 'must be a string',
  'schema.stringLike': 'must be a string such as __example__',
  'schema.notEmpty': 'must not be empty',
  'schema.deviceIdEmpty': 'must not be empty; set the device SN such as "dock-001"',
  'schema.replyCodeEmpty': 'must not be empty; use e.g. "APPROVED"',
  'schema.maxChars': 'must be at most __max__ characters',
  'schema.methodName': 'must be a DJI method name such as "cover_open"',
  'schema.idCharacters': 'must contain only letters, digits, ".", "_", ":" and "-"',
  'schema.timeoutSeconds': 'must be a whole number of seconds from 1 to 300',
  'schema.timeoutMin': 'must be at least 1 second',
  'schema.timeoutMax': 'must be at most 300 seconds',

  // connection settings
  'baseUrl.empty': 'The base URL is empty: set it to the platform address in the utmos-config node, e.g. https://dev.utmos.dev',
  'baseUrl.invalid': 'The base URL "__url__" is not a valid URL: use e.g. https://dev.utmos.dev',
  'baseUrl.https': 'The base URL must use https:// (plain http is only allowed for loopback addresses such as http://127.0.0.1): got __got__',
  'baseUrl.extras': 'The base URL must not contain a query or fragment: use e.g. https://dev.utmos.dev',
  'baseUrl.userInfo':
    'The base URL must not contain user info (name:password@): requests are signed with the API ID and key instead; use e.g. https://dev.utmos.dev (got __got__)',
  'credentials.apiIdEmpty': 'The API ID is empty: set it in the utmos-config node',
  'credentials.apiKeyEmpty': 'The API key is empty: set it in the utmos-config node',
  'eventBroker.invalid': 'The event broker URL "__url__" is not a valid URL: use e.g. mqtts://broker.example.com:8883',
  'eventBroker.password':
    'The event broker URL must not contain a password (it would be saved in flows.json in clear): put the password in the Password field of the event stream in the utmos-config node, and the user name in its Username field; use e.g. __example__',
  'eventStream.subscribeFailed': 'subscribe failed: __reason__',
  'eventStream.proxyRefused': 'the proxy __proxy__ refused the tunnel (HTTP __status__)',
  'eventBroker.protocol': 'The event broker URL must start with mqtt://, mqtts://, ws:// or wss:// (got __got__)',

  // calls to the platform
  'operation.createCommand': 'sending the command',
  'operation.getCommand': "asking for the command's status",
  'operation.listDeviceRequests': 'listing device requests',
  'operation.getDeviceRequest': 'reading a device request',
  'operation.replyToDeviceRequest': 'replying to a device request',
  'operation.presignObject': 'asking for an object-storage URL',
  'operation.uploadObject': 'uploading to object storage',
  'request.cancelled': 'The request was cancelled because the node is closing',
  'api.signatureInvalid':
    'The platform rejected the request signature: check the API ID and API key in the utmos-config node (and that no proxy rewrites the request body)',
  'api.timestampExpired': "The platform rejected the request time: this machine's clock is too far from the platform's; enable NTP on the Node-RED host",
  'api.nonceReplayed': 'The platform saw a request nonce twice: this should not happen; report it if it repeats',
  'api.unauthorized':
    'The platform did not accept the API credential: check that the API ID and API key are set in the utmos-config node and that the credential is active',
  'api.objectPolicyDenied':
    "No object-storage policy of the tenant allows this bucket, key prefix, method or URL lifetime while __operation__: check the node's bucket and key prefix with the tenant admin",
  'api.objectSigningFailed': 'The platform could not sign the object-storage URL while __operation__: try again later',
  'api.forbidden': 'The API credential lacks the permission __scope__ needed for __operation__: grant it in the UTMOS console',
  'api.idempotencyConflict': 'The idempotency key was already used for a different command: use a new key for a new command',
  'api.commandNotFound': 'The platform knows no command __subject__: check the command_id',
  'api.deviceRequestNotFound': 'The platform knows no device request __subject__: check the request_id',
  'api.unsupportedVendor': 'The platform does not accept this vendor: use vendor "dji"',
  'api.unsupportedCommand':
    'The platform does not accept this command type for the device: check the method name, and that the dock model and firmware support it',
  'api.notFound': 'The platform answered "not found" while __operation__: check the base URL in the utmos-config node',
  'api.alreadyReplied': 'Device request __subject__ was already answered: a device request takes one reply',
  'api.conflict': 'The platform reported a conflict while __operation__: the object changed meanwhile; read it again and retry',
  'api.rateLimited':
    'The platform limited the request rate while __operation__ and __attempts__ attempt(s) did not get through: send fewer requests at once or retry later',
  'api.serverError': 'The platform had an internal error (HTTP __status__) while __operation__, __attempts__ attempt(s): retry later',
  'api.refused': 'The platform refused the request as invalid while __operation__: check the values sent',
  'api.refusedSaying': 'The platform refused the request while __operation__: __message__',
  'api.unexpectedStatus': 'The platform answered HTTP __status__ while __operation__: check the base URL and the platform status',
  'response.notJson': 'The answer while __operation__ is not JSON: check that the base URL (__url__) points at the UTMOS Open Platform API',
  'response.unexpected': 'The answer while __operation__ has an unexpected shape: check that the base URL (__url__) points at the UTMOS Open Platform API',
  'response.mismatched':
    'The platform answered about __field__ __got__ instead of __expected__ while __operation__, so the answer was discarded: check for a proxy or cache between Node-RED and the platform',
  'response.tooLarge': "The platform's answer while __operation__ is larger than the response size limit (__limit__), so it was not read: check the base URL",
  'response.badEncoding': 'The answer while __operation__ could not be decoded: check that the base URL (__url__) points at the UTMOS Open Platform API',
  'network.tls': 'The TLS certificate of __url__ is not trusted: if the platform uses a private CA, paste its certificate into the utmos-config node',
  'network.timeout':
    'No complete answer from __url____via__ within __ms__ ms while __operation__: check the network, or raise the request timeout in the utmos-config node',
  'network.refused': 'Connection refused by __url____via__ while __operation__: check the base URL and that the platform is running',
  'network.hostNotFound': 'Host name of __url__ not found__via__ while __operation__: check the base URL and the DNS',
  'network.other': 'Network error __code__ reaching __url____via__ while __operation__: check the network connection',
  'network.viaProxy': ' through the proxy __proxy__',
  'proxy.unusable': 'the proxy __proxy__ from the environment is not an http:// or https:// URL; connecting directly',
  'network.proxyRefused':
    "The proxy __proxy__ refused the tunnel to __url__ (HTTP __status__): check HTTPS_PROXY / HTTP_PROXY (and the proxy's user name and password in it), or list the host in NO_PROXY",

  // waylines: route input and its check against the WPML ranges
  'wayline.notRoute':
    '__field__ is not a route (got __got__): send an array of {latitude, longitude, height} waypoints or GeoJSON (a LineString, a Feature holding one, or a FeatureCollection of Points)',
  'wayline.geoJsonType': '__field__ __got__ is not a GeoJSON route type: use a LineString, a Feature holding one, or a FeatureCollection of Points',
  'wayline.waypointNotObject': 'waypoint __index__ (__field__) must be an object {latitude, longitude, height}',
  'wayline.notPosition': 'waypoint __index__ (__field__) must be a GeoJSON position [longitude, latitude, height?]',
  'wayline.notArray': '__field__ must be an array',
  'wayline.geometryMissing': '__field__ is missing: a Feature needs a LineString geometry',
  'wayline.notLineString': '__field__ __got__ is not a route: use a LineString, or a FeatureCollection of Points',
  'wayline.notPointFeature': 'waypoint __index__ (__field__) must be a Feature with a Point geometry',
  'wayline.outOfRange': '__what__ must be a number __range__ (got __got__) at __field__',
  'wayline.range': 'between __min__ and __max____unit__',
  'wayline.rangeAboveMin': 'greater than __min__ and at most __max____unit__',
  'wayline.waypointValue': 'waypoint __index__: __name__',
  'wayline.gimbalPitch': 'gimbal pitch angle for the __aircraft__',
  'wayline.aircraft': 'aircraft __got__ is not a dock aircraft: choose one of __choices__',
  'wayline.choice': '__field__ __got__ must be one of __choices__',
  'wayline.notAction': 'waypoint __index__: action __got__ at __field__ is not an action: use __actions__',
  'wayline.actionType': 'waypoint __index__: action type __got__ at __field__ is unknown: use __actions__',
  'wayline.tooFew': 'a route needs at least 2 waypoints (got __count__): add waypoints to __field__',
  'wayline.tooMany': 'a route holds at most __max__ waypoints (got __count__): split it',
  'wayline.prefix': 'objectKeyPrefix must not contain "../"',
} as const;

export type CoreTextKey = keyof typeof CORE_TEXTS;
