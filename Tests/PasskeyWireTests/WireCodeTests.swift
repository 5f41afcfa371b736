import PasskeyProtocol
import PasskeyWebAuthn
import PasskeyWire
import Testing

/// The engine's error codes, the request-level codes and the protocol's codes must stay in step: every engine code
/// has the protocol code of the same JSON name (which `ErrorCodeTests` ties to the .proto), and no two codes share
/// a value.
@Suite struct WireCodeTests {
    @Test func everyEngineCodeHasItsProtocolName() {
        for code in WebAuthnError.Code.allCases {
            let wire = code.protocolCode
            #expect(wire != .errorCodeNone, "\(code) maps to ERROR_CODE_NONE")
            if case .unknown = wire { Issue.record("\(code) maps to no known protocol code") }
            #expect(wire.name == code.rawValue, "\(code.rawValue) is sent as \(wire.name)")
            #expect(PasskeydErrorCode(name: code.rawValue) == wire)
        }
    }

    @Test func everyRequestLevelCodeHasItsProtoName() {
        for code in WireErrorCode.allCases {
            #expect(code.code.protoName == code.rawValue)
        }
    }

    @Test func wireValuesAreDistinctAndListed() {
        let engine = WebAuthnError.Code.allCases.map(\.protocolCode)
        let request = WireErrorCode.allCases.map(\.code)
        // MALFORMED_REQUEST and INTERNAL_ERROR exist at both levels on purpose; everything else is distinct.
        let shared: Set<PasskeydErrorCode> = [.malformedRequest, .internalError]
        #expect(Set(engine).count == engine.count)
        #expect(Set(request).count == request.count)
        #expect(Set(engine).intersection(request).allSatisfy(shared.contains))
        let listed = Set(PasskeydErrorCode.allKnown)
        for c in engine + request { #expect(listed.contains(c), "\(c) is not a value of the .proto enum") }
    }

    @Test func riskSignalCodesAreEngineCodes() {
        let signals: [RiskSignal] = [
            .signCountRegression(stored: 2, received: 1), .backupEligibilityChanged(stored: true, received: false),
            .backupStateWithoutEligibility,
        ]
        for s in signals { #expect(s.code.protocolCode.name == s.code.rawValue) }
    }
}
