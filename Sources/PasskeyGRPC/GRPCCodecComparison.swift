public import NIOCore
import SwiftProtobuf

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The two ways a unary call can reach the framed protocol's executor, exposed for `passkey-microbench --grpc-codec`,
/// which times them (docs/DESIGN.md, "gRPC listener", has the figures and the choice):
///
/// - `raw`, what the listener does: the request message gets a tag and a length in front (`RequestEnvelope`), and
///   the result is sliced out of the `Response` bytes (`ResponseSlice`), one copy each way.
/// - `typed`, what generated typed stubs would do in front of the same executor: SwiftProtobuf decodes the request
///   message, encodes it again inside a `Request`, decodes the `Response` and encodes the result for the wire.
///
/// Everything between (the executor's protobuf-c unpack, the verification, HTTP/2) is the same for both.
public enum GRPCCodecComparison {
    /// The request side and the response side of one VerifyAuthentication call; returns the bytes produced, so the
    /// work cannot be optimised away.
    public static func raw(request: ByteBuffer, response: ByteBuffer) -> Int {
        let envelope = RequestEnvelope.wrap(request, field: 11, deadlineMs: 0)
        guard case let .result(_, bytes)? = ResponseSlice.read(response) else { return -1 }
        let out = bytes.withUnsafeReadableBytes { [UInt8]($0) }
        return envelope.readableBytes + out.count
    }

    public static func typed(request: ByteBuffer, response: ByteBuffer) throws -> Int {
        let message = try request.withUnsafeReadableBytes {
            try Passkeyd_V1_VerifyAuthenticationRequest(serializedBytes: [UInt8]($0))
        }
        var envelope = Passkeyd_V1_Request()
        envelope.verifyAuthentication = message
        let payload: [UInt8] = try envelope.serializedBytes()
        let decoded = try response.withUnsafeReadableBytes { try Passkeyd_V1_Response(serializedBytes: [UInt8]($0)) }
        let out: [UInt8] = try decoded.verifyAuthentication.serializedBytes()
        return payload.count + out.count
    }

    /// A VerifyAuthentication request message with raw assertion fields and an inline policy.
    public static func authenticationRequest(
        rpID: String, origin: String, challenge: [UInt8], credentialPublicKey: [UInt8], credentialID: [UInt8],
        authenticatorData: [UInt8], clientDataJSON: [UInt8], signature: [UInt8]
    ) throws -> ByteBuffer {
        var r = Passkeyd_V1_VerifyAuthenticationRequest()
        r.policy.rpID = rpID
        r.policy.origins = [origin]
        r.challenge = Data(challenge)
        r.credentialPublicKey = Data(credentialPublicKey)
        var f = Passkeyd_V1_AssertionFields()
        f.credentialID = Data(credentialID)
        f.authenticatorData = Data(authenticatorData)
        f.clientDataJson = Data(clientDataJSON)
        f.signature = Data(signature)
        r.fields = f
        let bytes: [UInt8] = try r.serializedBytes()
        return ByteBuffer(bytes: bytes)
    }
}
