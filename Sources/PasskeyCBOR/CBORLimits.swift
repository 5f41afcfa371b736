/// Resource limits enforced while validating one item.
public struct CBORLimits: Sendable, Hashable {
    /// Deepest allowed item: the top-level item is at depth 1, the children of an item at depth d are at depth d + 1.
    public var maxDepth: Int
    /// Most data items in one parse, counting every item (map keys, values, tags and their contents, the top level).
    public var maxItems: Int

    public init(maxDepth: Int = 16, maxItems: Int = 4096) {
        self.maxDepth = maxDepth
        self.maxItems = maxItems
    }

    public static let `default` = CBORLimits()
}
