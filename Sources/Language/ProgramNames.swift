/// What a program's top-level statements name: which variables they bind, and which
/// objects they change a member of. The lesson runner uses it to re-apply a student's
/// change to a model (`counter.Wg = …`) right after a rerun cell makes that model anew.
extension Program {
    /// The variables whose members (or members' entries) the program assigns:
    /// `counter.Wg = …` and `attn.Wq[0, 1] = 2` name `counter` and `attn`.
    public var changedObjects: [String] {
        var names: [String] = []
        for statement in statements {
            switch statement.kind {
            case .assign(let targets, _):
                for target in targets { if let root = target.memberRoot, !names.contains(root) { names.append(root) } }
            case .augmented(let target, _, _):
                if let root = target.memberRoot, !names.contains(root) { names.append(root) }
            default: continue
            }
        }
        return names
    }

    /// The variables whose entries the top-level statements change in place
    /// (`A[7] = 0`, `A[1] += 1`): at a picture, a change meant for the message itself.
    public var subscriptedNames: [String] {
        var names: [String] = []
        func note(_ target: Target) {
            guard case .subscripted(let base, _) = target.kind else { return }
            if let root = base.subscriptRoot, !names.contains(root) { names.append(root) }
        }
        for statement in statements {
            switch statement.kind {
            case .assign(let targets, _): targets.forEach(note)
            case .augmented(let target, _, _): note(target)
            default: continue
            }
        }
        return names
    }

    /// Whether every statement only assigns members of objects (`m.W = …`, `m.W[0] = 1`),
    /// nothing else: input worth making again after a rerun, with no output of its own.
    public var onlyChangesObjects: Bool {
        !statements.isEmpty && statements.allSatisfy { statement in
            switch statement.kind {
            case .assign(let targets, _): targets.allSatisfy { $0.memberRoot != nil }
            case .augmented(let target, _, _): target.memberRoot != nil
            default: false
            }
        }
    }
}

extension Stmt {
    /// The variables a top-level statement binds by name (`a = …`, `a, b = …`).
    var boundNames: [String] {
        guard case .assign(let targets, _) = kind else { return [] }
        return targets.flatMap(\.names)
    }
}

extension Target {
    var names: [String] {
        switch kind {
        case .name(let name): [name]
        case .tuple(let parts): parts.flatMap(\.names)
        case .member, .subscripted: []
        }
    }

    /// `root` of `root[i] = …` or `root[i][j] = …`.
    var subscriptRoot: String? {
        switch kind {
        case .name(let name): return name
        case .subscripted(let base, _): return base.subscriptRoot
        case .member, .tuple: return nil
        }
    }

    /// `root` of `root.member = …` or `root.member[i] = …`.
    var memberRoot: String? {
        switch kind {
        case .member(let object, _):
            if case .name(let name) = object.kind { return name }
            return nil
        case .subscripted(let base, _): return base.memberRoot
        case .name, .tuple: return nil
        }
    }
}

