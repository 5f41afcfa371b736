import GRPCCore
import NIOCore
import PasskeyProtocol
import PasskeyWire
import Testing

@testable import PasskeyGRPC

@Suite struct GRPCStatusMappingTests {
    /// The table of Protos/README.md, row by row.
    @Test func everyRequestLevelCodeHasItsStatus() {
        let expected: [WireErrorCode: RPCError.Code] = [
            .malformedFrame: .invalidArgument, .frameTooLarge: .resourceExhausted, .malformedRequest: .invalidArgument,
            .unknownMethod: .unimplemented, .overloaded: .unavailable, .deadlineExceeded: .deadlineExceeded,
            .shuttingDown: .unavailable, .unknownRelyingParty: .notFound, .batchTooLarge: .resourceExhausted,
            .internalError: .internalError, .resourceExhausted: .resourceExhausted, .unavailable: .unavailable,
        ]
        #expect(Set(expected.keys) == Set(WireErrorCode.allCases))
        for code in WireErrorCode.allCases {
            #expect(GRPCStatusMapping.code(for: code) == expected[code], "\(code)")
        }
    }

    @Test func theStatusNamesThePasskeydCode() {
        let overloaded = Int(PasskeydErrorCode.overloaded.rawValue)
        let error = GRPCStatusMapping.error(code: overloaded, message: "retry later")
        #expect(error.code == .unavailable)
        #expect(error.message == "OVERLOADED: retry later")
        #expect(Array(error.metadata[stringValues: "passkeyd-error-code"]) == ["OVERLOADED"])
        let draining = GRPCStatusMapping.error(code: Int(PasskeydErrorCode.shuttingDown.rawValue), message: "bye")
        #expect(draining.code == .unavailable)
        #expect(Array(draining.metadata[stringValues: "passkeyd-error-code"]) == ["SHUTTING_DOWN"])
    }

    /// A number this build has no name for is UNKNOWN, named by its number, never another code's status.
    @Test func anUnknownNumberIsUnknown() {
        let error = GRPCStatusMapping.error(code: 9999, message: "?")
        #expect(error.code == .unknown)
        #expect(Array(error.metadata[stringValues: "passkeyd-error-code"]) == ["UNKNOWN_9999"])
    }

    /// A ceremony code arriving as a request-level error (the executor never does this) is not mistaken for one.
    @Test func aCeremonyCodeIsNotARequestLevelStatus() {
        let error = GRPCStatusMapping.error(code: Int(PasskeydErrorCode.badSignature.rawValue), message: "x")
        #expect(error.code == .unknown)
        #expect(Array(error.metadata[stringValues: "passkeyd-error-code"]) == ["BAD_SIGNATURE"])
    }

    @Test func grpcTimeoutHeaders() {
        #expect(GRPCTimeout.parse("5S") == 5000)
        #expect(GRPCTimeout.parse("250m") == 250)
        #expect(GRPCTimeout.parse("1H") == 3_600_000)
        #expect(GRPCTimeout.parse("2M") == 120_000)
        #expect(GRPCTimeout.parse("1500u") == 2)
        #expect(GRPCTimeout.parse("1n") == 1)
        #expect(GRPCTimeout.parse("99999999H") == UInt32.max)
        for bad in ["", "S", "5", "5s", "-5S", "123456789S", "5 S"] {
            #expect(GRPCTimeout.parse(bad) == nil, "\(bad)")
        }
    }
}
