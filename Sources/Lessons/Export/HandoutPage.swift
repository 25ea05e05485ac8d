/// The handout page's style sheet and its one small script, inline so the file needs
/// nothing but itself: system fonts (a serif for the prose, a monospace for code), a
/// column for reading, wider room for cells and figures, and print rules.
enum HandoutPage {
    static let css = """
        :root { --ink: #1d1d1f; --muted: #6e6e73; --rule: #d2d2d7; --soft: #f5f5f7; --accent: #0b6e4f; --fail: #b3261e; --pass: #1a7f37; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #fff; color: var(--ink);
               font: 17px/1.55 'Iowan Old Style', 'Palatino Linotype', Palatino, Georgia, 'DejaVu Serif', serif; }
        main { max-width: 1180px; margin: 0 auto; padding: 8px 24px 96px; }
        header.handout { border-bottom: 1px solid var(--rule); color: var(--muted); font-size: 14px; }
        header.handout p { max-width: 1180px; margin: 0 auto; padding: 10px 24px; }
        main > :is(p, ul, ol, h1, h2, h3, h4, h5, h6, blockquote, table, hr, pre.prose-code) { max-width: 46rem; }
        h1 { font-size: 2.1rem; line-height: 1.2; margin: 1.4rem 0 1rem; }
        h2 { font-size: 1.45rem; margin: 2.2rem 0 .6rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
        h3 { font-size: 1.2rem; margin: 1.6rem 0 .4rem; }
        code, pre, .mono { font-family: ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace; }
        code { font-size: .86em; background: var(--soft); padding: .05em .3em; border-radius: 3px; }
        pre { font-size: 13.5px; line-height: 1.45; overflow-x: auto; margin: 0; }
        pre code { background: none; padding: 0; }
        blockquote { margin: 1rem 0; padding: .1rem 1rem; border-left: 3px solid var(--rule); color: #3a3a3c; font-style: italic; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: .95em; }
        th, td { border: 1px solid var(--rule); padding: .3rem .6rem; vertical-align: top; }
        th { background: var(--soft); text-align: left; }
        .link { text-decoration: underline dotted; }
        pre.prose-code { background: var(--soft); padding: 10px 14px; border-radius: 6px; margin: 1rem 0; }
        section.cell { margin: 1.2rem 0 1.6rem; }
        .cell-label { font: 12px ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; color: var(--muted); margin-bottom: 2px; }
        pre.code { background: var(--soft); border-left: 3px solid var(--accent); padding: 10px 14px; border-radius: 0 6px 6px 0; }
        pre.code .ln { display: inline-block; min-width: 3.2ch; margin-right: 1.4ch; text-align: right; color: #a1a1a6; user-select: none; }
        pre.code .comment { color: #6e6e73; font-style: italic; }
        pre.code .str { color: #9a3412; }
        pre.printed { background: #1c1c1e; color: #e5e5ea; padding: 10px 14px; border-radius: 6px; margin-top: 8px;
                      -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        pre.printed i.cell { display: inline-block; width: 1ch; overflow: hidden; font-style: normal; vertical-align: bottom; }
        ul.checks { list-style: none; padding: 0; margin: 8px 0 0; font: 13px/1.5 ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
        ul.checks li { padding: 2px 0; }
        ul.checks code { background: none; padding: 0; }
        ul.checks .pass .mark { color: var(--pass); font-weight: bold; }
        ul.checks .fail .mark, ul.checks .fail .why { color: var(--fail); font-weight: bold; }
        ul.checks .pass code { color: #3a3a3c; }
        pre.error { background: #fdecea; color: var(--fail); padding: 10px 14px; border-radius: 6px; margin-top: 8px; }
        figure.step { margin: 14px 0 0; overflow-x: auto; border: 1px solid #e5e5ea; border-radius: 8px; background: #fff; }
        figure.step svg { display: block; }
        section.exercise { max-width: 46rem; margin: 1.6rem 0; padding: 4px 20px 14px; border: 1px solid var(--rule);
                           border-left: 4px solid #3f007d; border-radius: 8px; background: #fbfbfd; }
        section.exercise h3 { margin: .8rem 0 .4rem; font-size: 1.05rem; color: #3f007d; }
        ol.choices { list-style-type: lower-alpha; }
        details { margin: .4rem 0; padding: .3rem .8rem; background: #fff; border: 1px solid #e5e5ea; border-radius: 6px; }
        details > summary { cursor: pointer; font-weight: 600; color: #3a3a3c; }
        details[open] > summary { margin-bottom: .3rem; }
        details pre { background: var(--soft); padding: 8px 12px; border-radius: 4px; }
        p.problem { color: var(--fail); font-weight: bold; }
        @media print {
          body { font-size: 12pt; }
          main { padding: 0; max-width: none; }
          figure.step, section.exercise, pre.code { break-inside: avoid; }
          figure.step { border: none; overflow: visible; }
        }
        """

    /// On load: checks that every figure was laid out with a size and draws at least one
    /// mark (a cell, a dot, a curve) of non-zero size, and writes what it found on the
    /// body (`data-figures-ok`, `data-figures-empty`) for anyone testing the page in a
    /// browser. Before printing, opens the hints and solutions so paper has them.
    static let script = """
        addEventListener('load', function () {
          var figures = document.querySelectorAll('figure.step');
          var ok = 0, empty = [];
          figures.forEach(function (figure) {
            var svg = figure.querySelector('svg');
            var box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
            var drawn = false;
            if (svg) svg.querySelectorAll('.marks rect, .marks circle, .marks path, .marks polyline').forEach(function (mark) {
              var b = mark.getBBox();
              var tag = mark.tagName.toLowerCase();
              if (tag === 'rect' || tag === 'circle' ? (b.width > 0 && b.height > 0) : (b.width > 0 || b.height > 0)) drawn = true;
            });
            if (box.width > 0 && box.height > 0 && drawn) ok += 1; else empty.push(figure.id);
          });
          document.body.setAttribute('data-figures-ok', String(ok));
          document.body.setAttribute('data-figures-empty', empty.join(' '));
          document.body.setAttribute('data-figures-total', String(figures.length));
        });
        addEventListener('beforeprint', function () {
          document.querySelectorAll('details').forEach(function (d) { d.open = true; });
        });
        """
}
