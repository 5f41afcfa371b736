/// `Health`: whether the server takes work, and how busy it is.
public struct HealthStatus: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case serving = "SERVING"
        case draining = "DRAINING"
    }

    /// Where issued challenges are recorded, and whether it can be reached.
    public enum ChallengeStore: String, Sendable, Hashable {
        case memory = "MEMORY"
        case connected = "CONNECTED"
        case unreachable = "UNREACHABLE"
    }

    public var status: Status
    public var inFlight: UInt64
    public var connections: UInt64
    public var challengeStore: ChallengeStore
    /// For `unreachable`: the last connection error.
    public var challengeStoreMessage: String

    public init(
        status: Status, inFlight: UInt64, connections: UInt64, challengeStore: ChallengeStore = .memory,
        challengeStoreMessage: String = ""
    ) {
        self.status = status
        self.inFlight = inFlight
        self.connections = connections
        self.challengeStore = challengeStore
        self.challengeStoreMessage = challengeStoreMessage
    }
}

/// `ServerInfo`: version, capabilities and limits.
public struct ServerInfo: Sendable, Hashable {
    public var version: String
    /// Supported COSE algorithm identifiers.
    public var algorithms: [Int64]
    public var attestationFormats: [String]
    public var maxFrameBytes: UInt32
    public var maxInFlightPerConnection: UInt32
    public var maxInFlight: UInt32
    public var maxConnections: UInt32
    public var maxBatchItems: UInt32
    public var idleTimeoutMs: UInt32
    public var defaultDeadlineMs: UInt32
    /// Names of the relying parties configured on the server.
    public var relyingParties: [String]
    /// The FIDO metadata BLOB the server uses, nil when it has none.
    public var metadata: MetadataInfo?

    /// A metadata BLOB's serial number and nextUpdate, whether nextUpdate has passed, and its entry count.
    public struct MetadataInfo: Sendable, Hashable {
        public var number: UInt64
        public var nextUpdate: String
        public var stale: Bool
        public var entries: UInt32
        public init(number: UInt64, nextUpdate: String, stale: Bool, entries: UInt32) {
            self.number = number
            self.nextUpdate = nextUpdate
            self.stale = stale
            self.entries = entries
        }
    }

    public init(
        version: String, algorithms: [Int64], attestationFormats: [String], maxFrameBytes: UInt32,
        maxInFlightPerConnection: UInt32, maxInFlight: UInt32, maxConnections: UInt32, maxBatchItems: UInt32,
        idleTimeoutMs: UInt32, defaultDeadlineMs: UInt32, relyingParties: [String], metadata: MetadataInfo? = nil
    ) {
        self.version = version
        self.algorithms = algorithms
        self.attestationFormats = attestationFormats
        self.maxFrameBytes = maxFrameBytes
        self.maxInFlightPerConnection = maxInFlightPerConnection
        self.maxInFlight = maxInFlight
        self.maxConnections = maxConnections
        self.maxBatchItems = maxBatchItems
        self.idleTimeoutMs = idleTimeoutMs
        self.defaultDeadlineMs = defaultDeadlineMs
        self.relyingParties = relyingParties
        self.metadata = metadata
    }
}
