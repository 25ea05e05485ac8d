import Language

/// Every builtin a lesson can call, beyond Language's own: tensors, models, files.
enum Builtins {
    static func all(files: LessonFiles, patches: PatchBoard = PatchBoard()) -> [Builtin] {
        TensorBuiltins.all + FileBuiltins.all(files: files) + CheckpointBuiltins.all(files: files) + ModelBuiltins.all.map(withReturns)
            + PatchBuiltins.all(board: patches)
    }

    /// A model builtin's `help` goes on with what it returns, read off its example.
    static func withReturns(_ builtin: Builtin) -> Builtin {
        guard ReferenceExamples.calls.contains(where: { $0.key == builtin.name }) else { return builtin }
        var copy = builtin
        copy.details = { ReferenceBook.returnsText(builtin.name) ?? "" }
        return copy
    }
}

/// Reading the lesson's own data files (and nothing else).
enum FileBuiltins {
    static func all(files: LessonFiles) -> [Builtin] {
        [
            Kit.builtin("read_text", [Kit.p("path")],
                        "the text of a file in the lesson's folder, e.g. read_text(\"data/words.txt\")") { args in
                .string(try files.readText(args.string("path")))
            },
            Kit.builtin("read_csv", [Kit.p("path")],
                        "a CSV file in the lesson's folder (a header line of column names, then rows) as a Table: data[\"x\"] a column, data[[\"x\", \"y\"]] a (rows, 2) tensor, data.values every numeric column") { args in
                let path = try args.string("path")
                return .host(try TableValue(text: try files.readText(path), file: path))
            },
            Kit.builtin("read_lines", [Kit.p("path")],
                        "the non-empty lines of a file in the lesson's folder") { args in
                .list(try files.readText(args.string("path")).split(whereSeparator: \.isNewline).map { .string(String($0)) })
            },
        ]
    }
}

/// Builtins that make the lecture's models, and train them.
enum ModelBuiltins {
    static var all: [Builtin] {
        ModelBindings.builtins + TrainingBuiltins.all
    }
}
