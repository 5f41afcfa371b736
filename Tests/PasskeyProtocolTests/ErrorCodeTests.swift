import CPasskeyProto
import PasskeyProtocol
import Testing

/// `PasskeydErrorCode` is written by hand; the generated descriptor of `passkeyd.v1.ErrorCode` is the truth.
@Suite struct ErrorCodeTests {
    /// (number, .proto name) of every value protoc-c generated.
    static let descriptor: [(Int32, String)] = withUnsafePointer(to: passkeyd__v1__error_code__descriptor) { d in
        (0..<Int(d.pointee.n_values)).map { i in
            (d.pointee.values[i].value, String(cString: d.pointee.values[i].name))
        }
    }

    @Test func everyDescriptorValueIsACaseWithItsNameAndNumber() {
        for (number, protoName) in Self.descriptor {
            let code = PasskeydErrorCode(rawValue: number)
            if case .unknown = code { Issue.record("\(protoName) = \(number) has no case") }
            #expect(code.rawValue == number)
            #expect(code.name == protoName.lowercased())
            #expect(code.protoName == protoName)
            #expect(PasskeydErrorCode(name: protoName.lowercased()) == code)
        }
    }

    @Test func everyCaseIsADescriptorValue() {
        let numbers = Set(Self.descriptor.map(\.0))
        #expect(PasskeydErrorCode.allKnown.count == Self.descriptor.count)
        for code in PasskeydErrorCode.allKnown { #expect(numbers.contains(code.rawValue), "\(code)") }
        #expect(PasskeydErrorCode.allKnown.map(\.rawValue) == PasskeydErrorCode.allKnown.map(\.rawValue).sorted())
        #expect(PasskeydErrorCode.allKnown.first == .errorCodeNone)
    }

    /// A newer server's code survives: same number out, a name that says what it is, no crash.
    @Test func unknownNumbersRoundTrip() {
        let code = PasskeydErrorCode(rawValue: 4242)
        #expect(code == .unknown(4242))
        #expect(code.rawValue == 4242 && code.name == "unknown_4242" && code.protoName == "UNKNOWN_4242")
        #expect(PasskeydErrorCode(name: "unknown_4242") == nil)
        #expect(PasskeydErrorCode(name: "BAD_SIGNATURE") == nil)
        #expect(PasskeydErrorCode(name: "bad_signature") == .badSignature)
    }
}
