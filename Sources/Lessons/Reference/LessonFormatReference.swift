import Language

/// The lesson file itself, topic by topic: `:help lesson`, `:help output`, and
/// `docs/lesson-format.md` (written by `huddle reference --write`).
enum LessonFormatReference {
    static let topics: [LanguageReference.Topic] = [
        .init(name: "lesson", aliases: ["format", "lesson-format", "file"], title: "what a lesson file is", text: """
            A lesson is a Markdown file (`Lessons/NN-name.md`). Its first `# heading` is its
            title. The prose up to the next cell, exercise or heading is one step (so a
            heading starts a new step, and several paragraphs between two cells are one).
            Code goes in fenced cells:

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
            passes, or a command the prose suggests in backticks (`` `:goto 12` ``) does not
            work where the student would type it. `huddle lint
            FILE` warns about what a test cannot see (`:help lint`).
            """),
        .init(name: "output", aliases: ["outputs", "pin", "pinned", "pins", "update"], title: "pinned outputs and huddle test --update", text: """
            A ```` ```output ```` block right after a cell (only blank lines between) pins what
            the cell prints: its `print` text and the values it shows, drawn without colour at
            80 columns. Checks (`expect`) and traced steps are not part of it. `print` writes
            numbers in full (`0.013759837`); `round(x, 2)` keeps a pin, and the prose
            quoting it, readable.

            ````markdown
            ```huddle
            print("weights of love:", round(party.weights[1], 2))
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
            | `<!-- huddle: timeout 20 -->` | under `huddle test` and `huddle run` the whole lesson may run 20 seconds, not 60, wherever the setting stands; past it the cell running stops with an error at its line, so a lesson that has grown slow fails its test (a lesson can ask for less time than `--timeout`, never more) |
            | `<!-- huddle: max-memory 500MB -->` | the lesson's tensors may take 500 MB (sizes in kB, MB, GB), everywhere it runs; a tensor past it is refused with a message at its line (a lesson can ask for less than `--max-memory`, never more) |

            A setting that Huddle does not know is an error at file:line, so a typo is not
            silently ignored. The student's own `:focus` wins over the file's.
            """),
        .init(name: "present", aliases: ["notes", "presenting", "slides"], title: "presenting a lesson, with speaker notes", text: """
            `huddle present LESSON` shows the lesson as slides for a live demo: each key
            clears the screen and shows one step, as the REPL draws it, with the step number
            and a clock below. Enter, Space or → go on; b or ← go back; n is the next round
            of a trace; k goes past it; s shows a waiting exercise's solution; `:` drops into
            the REPL at that step (type `:present` to come back); h shows the keys; q quits.

            Speaker notes go in the lesson, where students do not see them:

            ````markdown
            <!-- notes: ask who has met a softmax before -->

            ```notes
            Point at love's row: it sums to 1.
            ```
            ````

            A note belongs to the paragraph, cell or exercise just before it. Run `huddle
            present --notes LESSON` in a second terminal (on the laptop, not the projector):
            it follows the presentation and shows the notes of the step it is at, what comes
            next, and the clock. The REPL, `huddle run` and handouts leave notes out.
            """),
        .init(name: "data", aliases: ["files", "read_text", "read_lines", "corpus", "load", "save", "pytorch", "csv", "safetensors", "npz"], title: "data files", text: """
            A lesson reads files from its own folder only: `read_text("data/words.txt")`,
            `read_lines("data/sentences.txt")`, `read_csv("data/cloud.csv")` (a Table:
            `data["x"]` a column, `data[["x", "y"]]` a (rows, 2) tensor),
            `read_tensor("data/x.npy")` (or a named array of a .npz or .safetensors file).
            Weights go in and out with `save(model, "data/model.safetensors")` and
            `load(model, "data/model.safetensors")`: Huddle's own names, or a PyTorch
            `state_dict` of the module the model matches (nn.Linear, an nn.Sequential MLP,
            nn.RNN, nn.LSTM, nn.LayerNorm, nn.Conv1d, nn.Conv2d, nn.Embedding,
            nn.MultiheadAttention, and a nanoGPT GPT — `transformer.wte`, `h.N.attn.c_attn`,
            …, `lm_head`, tied or not, also Hugging Face's transposed GPT-2 layout),
            converted exactly; what does not fit (missing, unexpected, mis-shaped names) is
            listed in one error, with what to build instead. In PyTorch:
            `safetensors.torch.save_file(model.state_dict(), path)`.

            A file holds numbers, not the design: build the model with the sizes, biases
            and activation it was trained with. nn.MultiheadAttention has biases by default
            (`MultiHeadAttention(d, heads: H, bias: true)`; it returns W·Δ without the
            residual, which is `attn.update(h)`); nanoGPT uses the exact GELU and biases
            everywhere or nowhere: `GPT(text, dim: 48, layers: 2, heads: 4, block_size: 32,
            activation: "gelu_erf", bias: false)`. Lesson 16 loads such a GPT.

            Paths outside the folder (`..`, absolute paths, links that lead out, and files
            with a second name — a hard link) are refused, for reading and for writing.
            Ship every corpus a lesson needs in `Lessons/data/`; nothing is fetched from the
            network.
            """),
        .init(name: "lint", aliases: [], title: "what huddle lint warns about", text: """
            `huddle lint FILE…` reads a lesson and runs it, and warns (file:line, with what to
            do) about:

            - a lesson that checks nothing (no `expect`, no pinned output, no exercise);
            - a traced cell whose steps the paragraphs around it (before and after) never
              mention — neither the kind of step, nor one of its tensors, nor "step" or
              "picture";
            - a number the prose quotes (two decimals or more) that the output it comes from
              does not show: when the cell before the paragraph pins its output, the number
              must be in that pinned output or the cell's code, with its sign; otherwise it
              must appear somewhere in what the lesson shows. A number right after `≈` or `=`
              is the prose's own arithmetic and is left alone;
            - a `focus` setting naming an agent that no picture it applies to has;
            - a data file the code names that is not there;
            - a command the prose suggests in backticks that fails where it is suggested.

            (An exercise without a `wrong:` answer is an error when the file loads.) Exit
            status: 0 with no warnings, 1 with warnings, and `test`'s codes for a lesson that
            does not load or run to its end.
            """),
    ]
}
