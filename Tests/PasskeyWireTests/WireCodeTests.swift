import PasskeyWebAuthn
import PasskeyWire
import Testing

/// The engine's error codes, the request-level codes and the .proto enum must stay in step: every code has a wire
/// value whose generated name is the code's own spelling, and no two codes share a value.
@Suite struct WireCodeTests {
    @Test func everyEngineCodeHasItsProtoName() {
        for code in WebAuthnError.Code.allCases {
            let wire = WireCode(code)
            #expect(wire != .none, "\(code) maps to ERROR_CODE_NONE")
            #expect(wire.name == code.rawValue.uppercased(), "\(code.rawValue) is sent as \(wire.name)")
        }
    }

    @Test func everyRequestLevelCodeHasItsProtoName() {
        for code in WireErrorCode.allCases {
            #expect(WireCode(code).name == code.rawValue)
        }
    }

    @Test func wireValuesAreDistinctAndListed() {
        let engine = WebAuthnError.Code.allCases.map { WireCode($0) }
        let request = WireErrorCode.allCases.map { WireCode($0) }
        // MALFORMED_REQUEST and INTERNAL_ERROR exist at both levels on purpose; everything else is distinct.
        let shared: Set<String> = ["MALFORMED_REQUEST", "INTERNAL_ERROR"]
        #expect(Set(engine).count == engine.count)
        #expect(Set(request).count == request.count)
        #expect(Set(engine).intersection(request).map(\.name).allSatisfy(shared.contains))
        let listed = Set(WireCode.all)
        for c in engine + request { #expect(listed.contains(c), "\(c) is not a value of the .proto enum") }
        #expect(WireCode.all.first == WireCode.none)
    }

    @Test func riskSignalCodesAreEngineCodes() {
        let signals: [RiskSignal] = [
            .signCountRegression(stored: 2, received: 1), .backupEligibilityChanged(stored: true, received: false),
            .backupStateWithoutEligibility,
        ]
        for s in signals { #expect(WireCode(s.code).name == s.code.rawValue.uppercased()) }
    }
}
