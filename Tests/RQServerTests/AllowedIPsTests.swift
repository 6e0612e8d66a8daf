import Testing
@testable import RQServer

@Suite struct AllowedIPsTests {
    @Test func emptyListAdmitsEveryone() {
        #expect(AllowedIPs.admits(peer: "10.1.2.3:555", allowed: []))
    }

    @Test func substringOfTheAddressAdmits() {
        #expect(AllowedIPs.admits(peer: "127.0.0.1:5555", allowed: ["127.0.0"]))
        #expect(!AllowedIPs.admits(peer: "127.0.0.1:5555", allowed: ["10.9.8.7"]))
        // The port is not part of the address: "5555" must not match through it.
        #expect(!AllowedIPs.admits(peer: "127.0.0.1:5555", allowed: ["5555"]))
        #expect(AllowedIPs.admits(peer: "[::1]:80", allowed: ["::1"]))
    }
}
