public import PasskeyWebAuthn

/// How the executor records issued challenges as used once their ceremony verified.
public enum ChallengeReplayMode: Sendable {
    /// A store that answers at once (the embedded `InMemoryReplayStore`): every request completes inline.
    case inline(any ChallengeReplayStore)
    /// A shared store the transport asks asynchronously (Redis): a request with items that verified against issued
    /// challenges comes back from `executeRequest` as a `WaitingRequest`, finished when the store has answered.
    case deferred
}

/// What `WireExecutor.executeRequest` produced.
public enum ExecuteOutcome {
    /// The encoded response, valid until the executor's next call.
    case response(EncodedResponse)
    /// The request waits for the shared replay store; the executor has already moved on to a fresh arena.
    case waiting(WaitingRequest)
}

/// Where issued challenges are recorded, as `Health` reports it (filled in by the transport).
public enum ChallengeStoreHealth: Sendable, Equatable {
    case memory
    case connected
    /// At least one event loop has no connection to the shared store; the message says why (the last error).
    case unreachable(String)
}
