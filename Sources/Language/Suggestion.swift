/// "Did you mean …?" for mistyped names and keywords.
///
/// Students type `atn` for `attn` and `dims` for `dim`; pointing at the likely intended
/// name turns a dead end into a one-character fix.
public enum Suggestion {
    /// The candidate closest to `name` by edit distance, if it is close enough to be a
    /// plausible typo: one edit for names of up to four characters (so `atn` suggests
    /// `attn` but not `abs`), two up to eight, three beyond. A candidate differing only
    /// in letter case wins.
    public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let lowered = name.lowercased()
        let allowed = name.count <= 4 ? 1 : name.count <= 8 ? 2 : 3
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            if candidate.lowercased() == lowered { return candidate }
            let distance = editDistance(name, candidate)
            guard distance <= allowed, distance < name.count, distance < candidate.count else { continue }
            if let current = best, current.distance < distance || (current.distance == distance && current.name < candidate) {
                continue
            }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// " — did you mean 'x'?" or nothing, ready to append to a message.
    public static func phrase(for name: String, among candidates: some Sequence<String>) -> String {
        guard let match = closest(to: name, among: candidates) else { return "" }
        return " — did you mean '\(match)'?"
    }

    /// Levenshtein distance over Characters, with transpositions counted as one edit
    /// (`tarce` → `trace`).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
