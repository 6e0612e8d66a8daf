import Testing
@testable import RQStore

/// The rq_router's rules: parsing (what `rq verify_rules` reports) and matching.
@Suite struct RouterRulesTests {
    func rules(_ text: String) throws -> RouterRules {
        try RouterRules.parse(try JSONValue.parse(text).arrayValue ?? [])
    }

    @Test func firstMatchingRuleDecides() throws {
        let rules = try rules("""
        [{"desc": "remote", "match": {"dest": "^remote", "src": "x"}, "dest": "http://h:3333/q/in"},
         {"match": {"param1": "^y$"}, "dest": ["a", "b"]},
         {"match": {"dest": "trash"}, "action": "done"},
         {"desc": "default", "action": "err", "log": false}]
        """)
        #expect(rules.decide(["dest": "remote_q", "src": "box"]).action == .forward(["http://h:3333/q/in"]))
        #expect(rules.decide(["dest": "remote_q"]).isDefault, "an absent field never matches")
        #expect(rules.decide(["dest": "other", "param1": "y"]).action == .forward(["a", "b"]))
        #expect(rules.decide(["dest": "other", "param1": "yy"]).isDefault)
        #expect(rules.decide(["dest": "the trash"]).action == .done)
        // err always logs, as in the original.
        #expect(rules.decide(["dest": "nothing"]) == RouterRule(description: "default", match: [], action: .err, log: true))
    }

    @Test func withoutADefaultRuleUnmatchedMessagesEndInErr() throws {
        let rules = try rules(#"[{"match": {"dest": "a"}, "dest": "b"}]"#)
        #expect(rules.decide(["dest": "zzz"]) == RouterRules.builtInDefault)
        #expect(rules.effective.count == 2)
    }

    @Test func theLastDefaultRuleIsTriedLast() throws {
        let rules = try rules("""
        [{"desc": "default", "dest": "first"}, {"match": {"dest": "a"}, "dest": "b"}, {"desc": "default", "dest": "second"}]
        """)
        #expect(rules.effective.map(\.action) == [.forward(["b"]), .forward(["second"])])
    }

    @Test(arguments: [
        (#"[3]"#, "rule 1: not an object"),
        (#"[{"match": {"dest": "a"}}]"#, #"rule 1: "dest" must be a non-empty string"#),
        (#"[{"match": {}, "dest": "a"}]"#, #"rule 1: "match" must be a non-empty object"#),
        (#"[{"match": {"dest": 3}, "dest": "a"}]"#, #"rule 1: match field "dest" must be a string"#),
        (#"[{"match": {"dest": "("}, "dest": "a"}]"#, #"rule 1: match field "dest": ( is not a regular expression"#),
        (#"[{"match": {"dest": "a"}, "action": "balance"}]"#, #"rule 1: "action" must be "forward", "done" or "err", not "balance""#),
        (#"[{"match": {"dest": "a"}, "dest": "b", "log": "yes"}]"#, #"rule 1: "log" must be true or false, not "yes""#),
        (#"[{"match": {"dest": "a"}, "dest": ["b", ""]}]"#, #"rule 1: "dest" list must hold non-empty strings"#),
    ])
    func badRulesSayWhy(text: String, reason: String) throws {
        #expect(throws: RouterRules.Problem(reason)) { try rules(text) }
    }

    @Test func listingIsTheOriginalsShape() throws {
        let rules = try rules(#"[{"match": {"src": "s", "dest": "d"}, "dest": ["a", "b"], "log": true}, {"match": {"dest": "x"}, "action": "done"}]"#)
        #expect(rules.rules[0].listing(number: 1) == "rule 1\nmatch dest d\nmatch src s\ndest a\ndest b\nlog true\n\n")
        #expect(rules.rules[1].listing(number: 2) == "rule 2\nmatch dest x\naction done\n\n")
    }
}
