import PasskeyWire

/// Inbound user event from `RequestFrameDecoder`: the byte stream cannot go on (bad flag, frame above the maximum,
/// frame deadline passed). The request handler answers `code` with id 0 and closes the connection.
struct FrameRefused: Sendable {
    let code: WireErrorCode
    let message: String
}

/// Outbound user event from `RequestHandler` to `RequestFrameDecoder`: stop (or resume) handing over frames and
/// reading the socket. Paused while the peer does not read its responses, while the connection has its maximum of
/// offloaded requests, or while it closes; frames already read wait in the decoder's buffer.
enum ReadPause: Sendable {
    case pause
    case resume
}
