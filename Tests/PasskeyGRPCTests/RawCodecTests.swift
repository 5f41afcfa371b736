import NIOCore
import PasskeyProtocol
import PasskeyWire
import Testing

@testable import PasskeyGRPC

/// The envelope in front of a request message and the slice out of a response, at the byte level.
@Suite struct RawCodecTests {
    @Test func theEnvelopeIsATagAndALengthInFrontOfTheUnchangedMessage() {
        let message = ByteBuffer(bytes: Array(repeating: 0x42, count: 300))
        let wrapped = RequestEnvelope.wrap(message, field: 11, deadlineMs: 0)
        // field 11, wire type 2 = 0x5a; 300 = 0xac 0x02.
        #expect(Array(wrapped.readableBytesView.prefix(3)) == [0x5a, 0xac, 0x02])
        #expect(Array(wrapped.readableBytesView.dropFirst(3)) == Array(message.readableBytesView))
        let scan = wrapped.withUnsafeReadableBytes { RequestPrescan.scan($0) }
        #expect(scan?.method == .verifyAuthentication && scan?.itemCount == 1 && scan?.id == 0)
    }

    @Test func theDeadlineGoesInField2() {
        let wrapped = RequestEnvelope.wrap(ByteBuffer(), field: 14, deadlineMs: 1500)
        #expect(Array(wrapped.readableBytesView) == [0x10, 0xdc, 0x0b, 0x72, 0x00])
        let scan = wrapped.withUnsafeReadableBytes { RequestPrescan.scan($0) }
        #expect(scan?.deadlineMs == 1500 && scan?.method == .health)
    }

    @Test func aBatchEnvelopeIsCountedByThePrescan() {
        // VerifyAuthenticationBatchRequest with three empty items: 0a 00 three times.
        let batch = ByteBuffer(bytes: [0x0a, 0x00, 0x0a, 0x00, 0x0a, 0x00])
        let scan = RequestEnvelope.wrap(batch, field: 12, deadlineMs: 0).withUnsafeReadableBytes { RequestPrescan.scan($0) }
        #expect(scan?.method == .verifyAuthenticationBatch && scan?.itemCount == 3)
    }

    @Test func theResultIsSlicedOutOfTheResponse() {
        // Response { id: 7, verify_authentication (11): { error_code: 64 } }
        let response = ByteBuffer(bytes: [0x08, 0x07, 0x5a, 0x02, 0x08, 0x40])
        #expect(ResponseSlice.read(response) == .result(field: 11, bytes: ByteBuffer(bytes: [0x08, 0x40])))
        // An empty result message (a health answer with every field zero).
        #expect(ResponseSlice.read(ByteBuffer(bytes: [0x72, 0x00])) == .result(field: 14, bytes: ByteBuffer()))
    }

    @Test func anErrorIsReadWithItsCodeAndMessage() {
        // Response { error (20): { code: 5, message: "busy" } }
        let response = ByteBuffer(bytes: [0xa2, 0x01, 0x08, 0x08, 0x05, 0x12, 0x04] + Array("busy".utf8))
        #expect(ResponseSlice.read(response) == .error(code: 5, message: "busy"))
    }

    @Test func truncatedOrEmptyResponsesAreNotResults() {
        #expect(ResponseSlice.read(ByteBuffer()) == nil)
        #expect(ResponseSlice.read(ByteBuffer(bytes: [0x5a, 0x05, 0x08])) == nil)
        #expect(ResponseSlice.read(ByteBuffer(bytes: [0x08])) == nil)
        #expect(ResponseSlice.read(ByteBuffer(bytes: [0x0d, 0, 0, 0, 0])) == nil)
    }
}
