/// Limits a server enforces and announces in `ServerInfo`.
public struct WireLimits: Sendable {
    public var maxFrameBytes = Frame.defaultMaximumPayload
    public var maxInFlightPerConnection = 1024
    public var maxInFlight = 65536
    public var maxConnections = 10_000
    public var maxBatchItems = 4096
    public var idleTimeoutMs = 60_000
    public var defaultDeadlineMs = 5_000
    public init() {}
}

/// What `Health` reports: filled in by the transport.
public struct ServerSnapshot: Sendable {
    public var draining: Bool
    public var inFlight: UInt64
    public var connections: UInt64
    public var challengeStore: ChallengeStoreHealth
    public init(draining: Bool, inFlight: UInt64, connections: UInt64, challengeStore: ChallengeStoreHealth = .memory) {
        self.draining = draining
        self.inFlight = inFlight
        self.connections = connections
        self.challengeStore = challengeStore
    }
}

public enum WireMethod: String, Sendable, CaseIterable {
    case verifyRegistration = "verify_registration"
    case verifyAuthentication = "verify_authentication"
    case verifyAuthenticationBatch = "verify_authentication_batch"
    case verifyRegistrationBatch = "verify_registration_batch"
    case health
    case serverInfo = "server_info"
    case generateRegistrationOptions = "generate_registration_options"
    case generateAuthenticationOptions = "generate_authentication_options"
    case unknown
}

/// The facts a transport needs before running a request.
public struct RequestSummary: Sendable, Equatable {
    public let id: UInt64
    public let method: WireMethod
    public let deadlineMs: UInt32
    /// Items in a batch; 1 for single verifications, 0 for the rest.
    public let itemCount: Int
}

/// An encoded `Response` payload (no frame header), valid until the executor's next call.
public struct EncodedResponse {
    public let payload: UnsafeRawBufferPointer
    /// Total bytes on the wire, header included.
    public var frameSize: Int { payload.count + Frame.headerSize }

    /// Writes header and payload; `out` must hold `frameSize` bytes.
    public func writeFrame(into out: UnsafeMutableRawBufferPointer) {
        Frame.writeHeader(length: payload.count, into: out)
        if payload.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: out[Frame.headerSize..<frameSize]).copyMemory(from: payload)
        }
    }
}

/// Static facts for `ServerInfo`.
public struct ServerDescription: Sendable {
    public var version: String
    public var limits: WireLimits
    /// "memory" or "redis": where issued challenges are recorded.
    public var challengeStore: String
    /// The default lifetime of a minted challenge.
    public var challengeLifetimeMs: Int
    public init(version: String, limits: WireLimits, challengeStore: String = "memory", challengeLifetimeMs: Int = 300_000) {
        self.version = version
        self.limits = limits
        self.challengeStore = challengeStore
        self.challengeLifetimeMs = challengeLifetimeMs
    }
}
