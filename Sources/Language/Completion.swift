/// Candidates for tab completion at the end of a line being typed.
public struct Completion: Equatable, Sendable {
    /// The partial word the candidates would replace (`W` in `attn.W`).
    public var fragment: String
    /// Full replacements for `fragment`, sorted.
    public var candidates: [String]
}

extension Environment {
    /// Words that complete the end of `line`: variable, builtin and keyword names, or,
    /// after a dot, the members of the object before it (`attn.W` → `Wq`, `Wk`, `Wv`).
    /// Only names and member chains are resolved, never calls, so completing cannot run
    /// any of the student's code.
    public func completions(for line: String) -> Completion {
        var word = ""
        for character in line.reversed() {
            guard Scanner.continuesName(character) || character == "." else { break }
            word.insert(character, at: word.startIndex)
        }
        let parts = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let fragment = parts.last ?? ""
        guard parts.count > 1 else {
            let keywords = TokenKind.keywords.keys.filter { $0.first?.isLowercase ?? false }
            let names = Set(variableNames + builtinNames + keywords)
            return Completion(fragment: fragment, candidates: names.filter { $0.hasPrefix(fragment) && $0 != fragment }.sorted())
        }
        guard var value = self[parts[0]] else { return Completion(fragment: fragment, candidates: []) }
        for name in parts.dropFirst().dropLast() {
            guard case .host(let host) = value, let member = try? host.member(named: name) else {
                return Completion(fragment: fragment, candidates: [])
            }
            value = member
        }
        guard case .host(let host) = value else { return Completion(fragment: fragment, candidates: []) }
        return Completion(fragment: fragment, candidates: host.memberNames.filter { $0.hasPrefix(fragment) }.sorted())
    }
}
