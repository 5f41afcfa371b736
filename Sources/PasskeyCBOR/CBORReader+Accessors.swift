/// Typed accessors on validated items; each throws `.unexpectedType` (at `item.start`) on the wrong type.
extension CBORReader {
    /// Byte-string content view.
    @inlinable
    public func bytes(_ item: CBORItem) throws(CBORError) -> UnsafeRawBufferPointer {
        guard item.type == .bytes else { throw CBORError(.unexpectedType, at: item.start) }
        return view(item.contentStart, item.end)
    }

    /// Text-string content view (already UTF-8-validated).
    @inlinable
    public func textBytes(_ item: CBORItem) throws(CBORError) -> UnsafeRawBufferPointer {
        guard item.type == .text else { throw CBORError(.unexpectedType, at: item.start) }
        return view(item.contentStart, item.end)
    }

    /// Text-string content as a `String` (allocates; for non-hot paths).
    public func string(_ item: CBORItem) throws(CBORError) -> String {
        String(decoding: try textBytes(item), as: UTF8.self)
    }

    /// Major type 0 or 1 as `Int64`; `.integerOverflow` if it does not fit.
    @inlinable
    public func int(_ item: CBORItem) throws(CBORError) -> Int64 {
        switch item.type {
        case .unsigned:
            guard item.argument <= UInt64(Int64.max) else { throw CBORError(.integerOverflow, at: item.start) }
            return Int64(item.argument)
        case .negative:
            guard item.argument <= UInt64(Int64.max) else { throw CBORError(.integerOverflow, at: item.start) }
            return ~Int64(item.argument)  // -1 - n
        default:
            throw CBORError(.unexpectedType, at: item.start)
        }
    }

    /// Major type 0 value.
    @inlinable
    public func unsigned(_ item: CBORItem) throws(CBORError) -> UInt64 {
        guard item.type == .unsigned else { throw CBORError(.unexpectedType, at: item.start) }
        return item.argument
    }

    /// `false` (0xf4) or `true` (0xf5).
    @inlinable
    public func bool(_ item: CBORItem) throws(CBORError) -> Bool {
        guard item.type == .simple, item.additionalInfo == 20 || item.additionalInfo == 21 else {
            throw CBORError(.unexpectedType, at: item.start)
        }
        return item.additionalInfo == 21
    }

    /// Whether the item is `null` (0xf6).
    @inlinable
    public func isNull(_ item: CBORItem) -> Bool {
        item.type == .simple && item.additionalInfo == 22
    }

    /// A half, single or double precision float (major 7, ai 25/26/27) as `Double`.
    public func double(_ item: CBORItem) throws(CBORError) -> Double {
        guard item.type == .simple else { throw CBORError(.unexpectedType, at: item.start) }
        switch item.additionalInfo {
        case 25: return Self.halfToDouble(UInt16(truncatingIfNeeded: item.argument))
        case 26: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: item.argument)))
        case 27: return Double(bitPattern: item.argument)
        default: throw CBORError(.unexpectedType, at: item.start)
        }
    }

    /// The content of a tag item (`item.argument` is the tag number).
    @inlinable
    public func tagContent(_ item: CBORItem) throws(CBORError) -> CBORItem {
        guard item.type == .tag else { throw CBORError(.unexpectedType, at: item.start) }
        checkOwned(item)
        return uncheckedItem(at: item.contentStart)
    }

    static func halfToDouble(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits &>> 10) & 0x1F)
        let mantissa = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * 0x1p-24
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
