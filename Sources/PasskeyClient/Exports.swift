// The protocol's types (requests, results, PasskeydErrorCode, ...) are the client's API: `import PasskeyClient` is
// enough to use them. A program that only encodes and decodes frames links PasskeyProtocol alone.
@_exported public import PasskeyProtocol
