/// The language as a lesson writer needs it, topic by topic: `:help language` lists the
/// topics, `:help expect` (or `help("expect")`) prints one, and `docs/language.md` is all
/// of them in order, written by `huddle reference --write` so the file and the program
/// say the same thing (a test fails when the file is stale).
///
/// Each topic's text is Markdown. Statements that are keywords (`expect`, `trace`, `def`,
/// `for`) are topics of their own, because `help(expect)` cannot name a keyword.
public enum LanguageReference {
    public struct Topic: Sendable {
        /// What `:help NAME` takes.
        public var name: String
        /// Other spellings that find it (`~=` finds `approx`).
        public var aliases: [String]
        public var title: String
        public var text: String

        public init(name: String, aliases: [String], title: String, text: String) {
            self.name = name
            self.aliases = aliases
            self.title = title
            self.text = text
        }
    }

    /// The topic called `name` (or one of its aliases), ignoring case.
    public static func topic(named name: String) -> Topic? {
        let key = name.lowercased()
        return topics.first { $0.name == key || $0.aliases.contains(key) }
    }

    /// Keywords that start a statement, which `help(…)` cannot take as they are.
    static let statementKeywords: Set<String> = ["expect", "def", "for", "while", "if", "elif", "else", "return", "break", "continue", "pass"]

    /// Language's own builtins (print, len, range, …), for the reference.
    public static var coreBuiltins: [Builtin] { CoreBuiltins.all() }

    /// One line per topic, for `:help language`.
    public static var index: [String] {
        topics.map { "\($0.name) — \($0.title)" }
    }

    public static let topics: [Topic] = [
        Topic(name: "values", aliases: ["literals", "numbers", "strings", "lists", "tensors"], title: "numbers, strings, lists and tensors", text: """
            One kind of number (`3`, `0.5`, `1e-3`, `1_000`, `.5`); whole numbers print without a
            decimal point. Strings in `"…"` or `'…'` with `\\n \\t \\" \\'` escapes, and
            `\"\"\"…\"\"\"` over several lines. `true`/`false` (also `True`/`False`), `none` (also
            `None`). A list literal `[a, b, c]` of numbers becomes a **tensor** of 32-bit numbers
            (`[[1, 2], [3, 4]]` is a 2 × 2 matrix); a list of anything else stays a list
            (`["I", "love"]`). `tensor(…, labels: [...])` names a tensor's rows; pictures and a
            tensor shown on a line of its own (`h`) use the names, `print(h)` prints only the
            numbers. Functions of a tensor give tensors, even of one number (`argmax(x)` shows
            `2.000`); `int(x)` and `float(x)` make it a plain number, to index a list with
            (`words[int(argmax(x))]`).

            Lists and tensors are values: `b = a; b[0] = 5` leaves `a` alone. Models are
            objects: `m2 = m` is the same model under two names, as in Python.
            """),
        Topic(name: "names", aliases: ["variables", "identifiers"], title: "what a name may be", text: """
            A name starts with a letter of any script, `_`, `∇` or `∂`, and goes on with letters,
            digits, primes and sub- and superscripts, so `W₁`, `h′`, `x²` and `h⁽ˡ⁾` are names.
            A name defined by a cell stays defined for later cells; `:vars` lists them.
            """),
        Topic(name: "operators", aliases: ["operator", "precedence", "@", "**"], title: "operators, lowest precedence first", text: """
            | operators | meaning |
            |---|---|
            | `trace e` | run e and record its message passing (see `trace`); covers the rest of the expression |
            | `or`, `and`, `not` | as in Python: `a or b` is one of its operands |
            | `==  !=  <  <=  >  >=  ≈  in  not in  is  is not` | comparisons; not chained (`a < b < c` is an error: write `a < b and b < c`) |
            | `+  -` | add, subtract (elementwise on tensors, with broadcasting; `+` joins lists and strings) |
            | `*  /  //  %  @` | multiply, divide, floor divide, remainder (elementwise); `@` is the matrix product |
            | unary `-  +` | |
            | `**` | power, right-associative: `2**3**2 == 512`, `-2**2 == -4` |
            | `f(…)`, `a[…]`, `a.b` | call, subscript, member |

            `≈` may be typed `~=`; `≤ ≥ ≠ −` are accepted for `<= >= != -`. Division by zero is an
            error, not a crash; `1e300 * 1e300` is `inf`. `==` between values of different kinds is
            `false`; comparing tensors gives a tensor of 0s and 1s.
            """),
        Topic(name: "approx", aliases: ["≈", "~=", "tolerance", "within"], title: "≈, the default tolerance, and within", text: """
            `a ≈ b` (or `a ~= b`) is true when every pair of numbers satisfies
            `|a − b| ≤ 1e-6 + 1e-4·|b|` (NumPy's `isclose`, b being the expected value): above
            Float32 rounding in small models, below any difference a lesson means. Shapes must
            match (a number against a tensor compares it with every element).
            `expect a ≈ b within t` sets both tolerances to t: `|a − b| ≤ t + t·|b|`. A failed
            check says where and by how much the values differ.
            """),
        Topic(name: "calls", aliases: ["call", "arguments", "keywords"], title: "calling functions", text: """
            Positional arguments first, then keywords written `name: value` or `name=value`:
            `SelfAttention(dim: 4, seed: 18)`. A wrong keyword is an error that suggests the
            nearest right one. `help(f)` prints f's parameters with their defaults, then what it
            does; `help()` lists every function; `help(model)` lists a model's weights and
            members.
            """),
        Topic(name: "subscripts", aliases: ["subscript", "index", "indexing", "slice", "slices", "slicing"], title: "indexing and slicing", text: """
            Rows and entries count from 0: `a[0]`, `a[-1]` (the last), `a[1:3]`, `a[:2]`,
            `a[::2]`, `a[::-1]`, and several at once `A[0, 1:3]`, `A[:, 0]` (column 0). Rows are
            counted by number even when they have names (`h[1]`, not `h["love"]`). Assigning to a subscript changes only
            those entries: `attn.Wq[0, 1] = 0.5`.
            """),
        Topic(name: "statements", aliases: ["statement", "assignment", "=", "+="], title: "assignment and the other statements", text: """
            An expression on a line of its own shows its value (unless it is `none`).
            `x = value`, `a = b = 0`, `x += 1` (also `-=`, `*=`, `/=`), `a, b = pair` (unpacking a
            list or a pair a function returned). Targets may be names, members and subscripts:
            `attn.Wq[0, 1] = 0.5`. `;` separates statements on one line, `#` starts a comment,
            an open bracket or a trailing `\\` continues a line. Blocks are indented under a line
            ending in `:`. See also `if`, `for`, `while`, `def`, `expect`, `trace`.
            """),
        Topic(name: "if", aliases: ["elif", "else", "conditions"], title: "if, elif, else", text: """
            ```
            if loss < 0.1:
                print("learned")
            elif loss < 1:
                print("learning")
            else:
                print("not yet")
            ```
            A condition is false when it is `false`, `none`, `0` or empty. A tensor of several
            numbers is neither: say which you mean, `all(a == b)`, `any(x > 0)`, or `a ≈ b`.
            """),
        Topic(name: "for", aliases: ["loops", "loop", "range", "break", "continue", "pass"], title: "for loops, break, continue, pass", text: """
            `for x in xs:` runs its block once per item of a list, string, range or the rows of a
            tensor; `for i, w in enumerate(words):` and `for a, b in zip(xs, ys):` unpack.
            `range(n)` counts 0 … n−1. `break` leaves the loop, `continue` goes to the next item,
            `pass` does nothing. There are no list comprehensions: build a list in a loop,
            `ys = []` then `for x in xs: ys += [f(x)]`.
            """),
        Topic(name: "while", aliases: [], title: "while loops", text: """
            `while condition:` repeats its block while the condition holds. Every loop and call
            counts against the run's step budget, and Ctrl-C stops a long loop, so a loop that
            never ends is stopped with a message rather than hanging the lesson.
            """),
        Topic(name: "def", aliases: ["function", "functions", "return", "docstring"], title: "defining functions", text: """
            ```
            def hear(W, b, h_prev, x_t=0):
                "One gate's score from [h_{t−1}, x_t]."
                return W @ concat([h_prev, x_t]) + b
            ```
            Parameters may have defaults; `return a, b` returns a pair; a string on the first
            line is the function's text for `help(hear)`. Assigning inside a function makes a
            local name; `x += 1` and `x[0] = 1` change the variable where it is defined. A
            function of your own is not traced step by step: `trace` records the steps of the
            lecture's models only (see `trace`).
            """),
        Topic(name: "expect", aliases: ["checks", "check", "assert"], title: "expect: a claim the lesson makes, checked", text: """
            `expect claim` records a check and goes on; it never stops the cell. `huddle test`
            runs every lesson and fails on a failed check, so a lesson's claims stay true.

            ```
            expect sum(A, axis: 1) ≈ ones(4)          # ≈: the default tolerance (help("approx"))
            expect loss < 0.1
            expect h[1] ≈ o * tanh(c[1]) within 1e-3  # a looser tolerance
            expect "cat" in nearest
            ```

            For `==`, `<`, `in` and the other comparisons both sides are reported when the check
            fails; any other claim passes when it is true. A report quotes the claim as written.
            """),
        Topic(name: "trace", aliases: ["tracing", "steps"], title: "trace: recording the message passing", text: """
            `out = trace attn(h)` runs `attn(h)` and records every message-passing step the
            lecture's models take meanwhile: attention weights, residual updates, LSTM cells,
            training steps, diffusion steps (`:help events` lists the kinds). In the REPL each
            step is then a stop on the timeline, with its picture; `huddle run` prints them all.
            Only the lecture's models record steps: code of your own inside `trace` runs, but
            records only the steps of the models it calls, and a `trace` that records nothing
            says so.
            """),
        Topic(name: "missing", aliases: ["python", "import", "class", "lambda", "comprehension", "comprehensions"],
              title: "what Python has and this language does not", text: """
            No `import` (everything is already there), no `class`, no `lambda` (use `def`), no
            list comprehensions (use a loop), no dictionaries, no f-strings (use
            `print("loss", loss)` or `str(x)`), no `try`. Each of these is an error that says so.
            """),
    ]
}
