import Language
import SwiftCSV
import Tensor

/// A CSV file in the language (`read_csv`): columns by name. A column of numbers is a
/// tensor (N,), any other a list of strings: `data["x"]`, `data[["x", "y"]]` (N, 2),
/// `data.values` (every numeric column, N × C), `data.columns`, `len(data)` rows. For a
/// cloud of points or a classification set of the instructor's own. Immutable.
struct TableValue: HostValue {
    let file: String
    let names: [String]
    /// Each column's numbers, or nil for a column that is not all numbers.
    let numbers: [[Float]?]
    let texts: [[String]]

    var rowCount: Int { texts.first?.count ?? 0 }

    /// Parses `text`, the file's contents (SwiftCSV: quotes, commas in quotes, CRLF).
    init(text: String, file: String) throws {
        let csv: CSV<Enumerated>
        do {
            csv = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false)
        } catch {
            throw RuntimeError("'\(file)' is not CSV that can be read: \(error)")
        }
        guard !csv.header.isEmpty else { throw RuntimeError("'\(file)' is empty: read_csv needs a header line of column names") }
        self.file = file
        names = csv.header.map { $0.trimmingWhitespace() }
        // The rows as written (csv.rows pads short ones, which would hide a missing field).
        var rows: [[String]] = []
        try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
        var columns = [[String]](repeating: [], count: names.count)
        for (r, row) in rows.enumerated() {
            if row.count == 1 && row[0].trimmingWhitespace().isEmpty { continue }
            guard row.count == names.count else {
                throw RuntimeError("'\(file)': row \(r + 2) has \(row.count) fields, the header names \(names.count)",
                                   hint: "every line needs one value per column: " + names.joined(separator: ", "))
            }
            for (c, field) in row.enumerated() { columns[c].append(field.trimmingWhitespace()) }
        }
        texts = columns
        numbers = columns.map { column in
            let parsed = column.map { Float($0) }
            return parsed.allSatisfy { $0 != nil } ? parsed.map { $0! } : nil
        }
    }

    /// Immutable: a copy is itself.
    func copy(using copier: Copier) -> any HostValue { self }

    var typeName: String { "Table" }
    var description: String { "Table of \(rowCount) rows from '\(file)': " + names.joined(separator: ", ") }
    var length: Int? { rowCount }
    var memberNames: [String] { ["columns", "values"] }
    var helpText: String? {
        description + "\ndata[\"name\"] is a column (a tensor of numbers, or a list of strings); data[[\"x\", \"y\"]] a (rows, 2) tensor; data.values every numeric column; data.columns the names"
    }

    func member(named name: String) throws -> Value? {
        switch name {
        case "columns": return .list(names.map { .string($0) })
        case "values":
            let numeric = names.indices.filter { numbers[$0] != nil }
            guard !numeric.isEmpty else { throw RuntimeError("'\(file)' has no column of numbers") }
            return Kit.tensor(try matrix(numeric))
        default: return nil
        }
    }

    func subscripted(by parts: [SubscriptPart]) throws -> Value {
        guard parts.count == 1, case .value(let key) = parts[0] else {
            throw RuntimeError("a Table is indexed by a column name, data[\"x\"], or a list of them, data[[\"x\", \"y\"]]")
        }
        switch key {
        case .string(let name):
            let c = try column(name)
            if let values = numbers[c] { return Kit.tensor(Tensor(values)) }
            return .list(texts[c].map { .string($0) })
        case .list(let items):
            let columns = try items.map { item -> Int in
                guard case .string(let name) = item else { throw RuntimeError("column names are strings, got \(item.kindPhrase)") }
                return try column(name)
            }
            return Kit.tensor(try matrix(columns))
        default:
            throw RuntimeError("a Table is indexed by a column name, got \(key.kindPhrase)")
        }
    }

    func column(_ name: String) throws -> Int {
        guard let c = names.firstIndex(of: name) else {
            throw RuntimeError("'\(file)' has no column \(name)\(Suggestion.phrase(for: name, among: names))",
                               hint: "its columns: " + names.joined(separator: ", "))
        }
        return c
    }

    /// The columns side by side, (rows, columns); each must be numbers.
    func matrix(_ columns: [Int]) throws -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(rowCount * columns.count)
        for c in columns where numbers[c] == nil {
            let bad = texts[c].first { Float($0) == nil } ?? ""
            throw RuntimeError("column \(names[c]) of '\(file)' is not all numbers (it has \"\(bad)\")")
        }
        for r in 0..<rowCount { for c in columns { values.append(numbers[c]![r]) } }
        return try Tensor(shape: [rowCount, columns.count], scalars: values)
    }
}
