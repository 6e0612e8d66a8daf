import Testing
@Test func placeholderRQServerTests() { #expect(1 == 1) }
