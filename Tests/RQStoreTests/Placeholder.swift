import Testing
@Test func placeholderRQStoreTests() { #expect(1 == 1) }
