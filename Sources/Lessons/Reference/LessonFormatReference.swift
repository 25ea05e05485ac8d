import Language

/// The lesson file itself, topic by topic: `:help lesson`, `:help output`, and
/// `docs/lesson-format.md` (written by `huddle reference --write`).
enum LessonFormatReference {
    static let topics: [LanguageReference.Topic] = [
        .init(name: "lesson", aliases: ["lessons", "format", "lesson-format", "file"], title: "what a lesson file is", text: """
            A lesson is a Markdown file (`Lessons/NN-name.md`). Its first `# heading` is its
            title. Prose is shown a paragraph at a time; a heading starts a new step. Code
            goes in fenced cells:

            ````markdown
            ```huddle
            attn = SelfAttention(dim: 4, seed: 18)
            out = trace attn(h)
            expect sum(attn.weights, axis: 1) ≈ ones(4)
            ```
            ````

            Each cell is one step: Enter runs it. Cells share their variables, in file order.
            Other fences (```` ```python ````, ```` ```text ````) are prose, shown as they are.
            Besides cells, a file may hold ```` ```exercise ```` blocks (`:help exercises`),
            ```` ```output ```` blocks that pin what the cell before prints (`:help output`),
            and settings in HTML comments (`:help settings`). A `.hud` file is a script: all
            code, one cell.

            `huddle test FILE` runs every cell and fails when an `expect` fails, a pinned
            output changed, an exercise's solution does not pass or one of its wrong answers
            passes, or a command the prose suggests (`:goto 12`) does not work. `huddle lint
            FILE` warns about what a test cannot see (`:help lint`).
            """),
        .init(name: "output", aliases: ["outputs", "pin", "pinned", "pins", "update"], title: "pinned outputs and huddle test --update", text: """
            A ```` ```output ```` block right after a cell (only blank lines between) pins what
            the cell prints: its `print` text and the values it shows, drawn without colour at
            80 columns. Checks (`expect`) and traced steps are not part of it.

            ````markdown
            ```huddle
            print("weights of love:", party.weights[1])
            ```

            ```output
            weights of love: [0.01, 0.05, 0.94, 0.01]
            ```
            ````

            `huddle test` fails when the cell prints something else, with a diff (`-` pinned,
            `+` printed now). Numbers match when they print the same (`0.50` is `0.5`); write
            ```` ```output within 0.01 ```` to let them differ by `0.01 + 0.01·|pinned|`.
            `huddle test --update` rewrites every pinned block whose cell prints something
            else, and only those lines, then says which it changed. Pin the outputs your prose
            quotes, so a change that moves a quoted number fails the test.
            """),
        .init(name: "settings", aliases: ["setting", "huddle:"], title: "settings a lesson file states", text: """
            A line `<!-- huddle: NAME VALUE -->` (an HTML comment: the Markdown shows nothing)
            sets something for the rest of the file, from where it stands:

            | setting | effect |
            |---|---|
            | `<!-- huddle: no-skip -->` | exercises must be answered: `:solution` and `:skip` are refused |
            | `<!-- huddle: focus love -->` | pictures after it fill their formulas in for this agent (a token or a row number, as `:focus`); `focus none` resets |
            | `<!-- huddle: scale 2 -->` | signed heatmaps after it colour from −2 to 2 (any number above 0) instead of each picture's own largest number, so pictures can be compared; probabilities keep 0 … 1; `scale auto` resets |
            | `<!-- huddle: steps 1-3, 8, last -->` | the next cell's printed transcript (`huddle run`, handouts) draws only these of its traced steps (counted from 1; `last` is its last) and says how many it left out; in the REPL every step can still be stepped through |

            A setting that Huddle does not know is an error at file:line, so a typo is not
            silently ignored. The student's own `:focus` wins over the file's.
            """),
        .init(name: "data", aliases: ["files", "read_text", "read_lines", "corpus"], title: "data files", text: """
            A lesson reads files from its own folder only: `read_text("data/words.txt")`,
            `read_lines("data/sentences.txt")`. Paths outside the folder (`..`, absolute paths,
            links that lead out) are refused. Ship every corpus a lesson needs in
            `Lessons/data/`; nothing is fetched from the network.
            """),
        .init(name: "lint", aliases: [], title: "what huddle lint warns about", text: """
            `huddle lint FILE…` reads a lesson and runs it, and warns (file:line, with what to
            do) about: a lesson that checks nothing; a traced cell whose steps the prose after
            it never mentions; an exercise with no `wrong:` answer (except choices); a command
            the prose suggests that fails; a number the prose quotes that the outputs before it
            do not show; a data file the code names that is not there. Exit status: 0 with no
            warnings, 1 with warnings, and `test`'s codes for files that do not load or run.
            """),
    ]
}
