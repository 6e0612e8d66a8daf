import Collections

/// Basic-auth users keep their file order.
public typealias OrderedDictionaryOfStrings = OrderedDictionary<String, String>
