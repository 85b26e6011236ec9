#!/usr/bin/env python3
"""Shell completions for quire, generated from man/quire.1.scd.

  completions/gen.py man/quire.1.scd OUTDIR

writes OUTDIR/quire.bash, OUTDIR/_quire (zsh) and OUTDIR/quire.fish. The
man page is the one list of commands and options: tests/suites/man.sh holds
it to `quire help` and to what each command accepts, so completions made
from it stay right when an option changes.

What each option's value completes to comes from the _ARG_ word of its
entry (see the comment at the top of man/quire.1.scd):
  FMT, E, WHEN, SIZE, TEMPLATE, STRATEGY  the bold words of the first sentence
                                          of its description (*pdf*, *haru*)
  NAME                                    template names, from `quire templates`
  FILE                                    files; -o/--output offers the command's
                                          output extensions, others any file
  DIR, OUTDIR                             directories
  anything else                           nothing (an id, a number, free text)
A command's own arguments come from its heading: FILE is report JSON
(*.json, *.ndjson), [NAME] a template, [COMMAND] a command.
"""
import os
import re
import sys

ENUM_KINDS = {"FMT", "E", "WHEN", "SIZE", "TEMPLATE", "STRATEGY"}
EXT = {"text": "txt", "html": "html", "pdf": "pdf", "png": "png", "json": "json"}
REPORT_EXTS = ["json", "ndjson"]


class Opt:
    def __init__(self, names):
        self.names = names  # ["-f", "--format"]
        self.arg = None  # "FMT", or None for a flag
        self.optional = False  # --wait[=SECONDS]
        self.values = []  # enumerated values
        self.desc = ""

    @property
    def short(self):
        return [n for n in self.names if not n.startswith("--")]

    @property
    def long(self):
        return [n for n in self.names if n.startswith("--")]


def plain(text):
    """scdoc markup out, whitespace collapsed."""
    text = re.sub(r"\\(.)", r"\1", text)
    text = text.replace("*", "").replace("++", "")
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", "", text)
    return " ".join(text.split())


def first_sentence(text):
    m = re.search(r"\.(\s|$)", text)
    return text[: m.start() + 1] if m else text


def short_desc(text):
    s = plain(first_sentence(text)).rstrip(".")
    s = re.sub(r"\s*\([^)]*\)", "", s) or s  # asides go
    return s if len(s) <= 70 else s[:67].rstrip() + "..."


ENTRY_TOKEN = re.compile(r"\*(--?[A-Za-z0-9][A-Za-z0-9-]*)\*(\[=_([A-Z_]+)_\])?|_([A-Z_]+)_")


def parse_entry(line):
    """'*-f*, *--format* _FMT_, *-o*, *--output* _FILE_' -> [Opt, Opt]."""
    opts, pending = [], []
    for m in ENTRY_TOKEN.finditer(line):
        if m.group(1):
            pending.append(m.group(1))
            if m.group(2):  # optional value
                o = Opt(pending)
                o.arg, o.optional = m.group(3), True
                opts.append(o)
                pending = []
        elif pending:
            o = Opt(pending)
            o.arg = m.group(4)
            opts.append(o)
            pending = []
    if len(pending) == 2 and not pending[0].startswith("--") and pending[1].startswith("--"):
        opts.append(Opt(pending))  # "*-q*, *--quiet*": one flag
    elif pending:
        # A list of options described elsewhere ("as for quire render"):
        # each keeps its own name; its value comes from its definition.
        for n in pending:
            opts.append(Opt([n]))
    return opts


def parse(scd):
    lines = [l for l in scd.splitlines() if not l.startswith(";")]
    sections, cur = {}, None
    for l in lines:
        if l.startswith("# "):
            cur = l[2:].strip()
            sections[cur] = []
        elif cur:
            sections[cur].append(l)

    def entries(body):
        """(entry line, description) pairs of one section."""
        out, i = [], 0
        while i < len(body):
            l = body[i]
            # An entry is its line and a tab-indented description; a line
            # of prose that starts with an option ("*-o* file.") is not.
            if l.startswith("*-") and i + 1 < len(body) and body[i + 1].startswith("\t"):
                desc = []
                i += 1
                while i < len(body) and body[i].startswith("\t"):
                    desc.append(body[i].strip())
                    i += 1
                out.append((l, " ".join(desc)))
                continue
            i += 1
        return out

    def options(body):
        opts = []
        for line, desc in entries(body):
            for o in parse_entry(line):
                o.desc = short_desc(desc)
                if o.arg in ENUM_KINDS:
                    first = first_sentence(desc)
                    seen = []
                    for v in re.findall(r"\*([a-z0-9][a-z0-9_]*)\*", first):
                        if v not in seen:
                            seen.append(v)
                    o.values = seen
                opts.append(o)
        return opts

    common = options(sections.get("COMMON OPTIONS", []))
    api = {o.names[-1]: o for o in options(sections.get("API OPTIONS", []))}

    commands, body, head = [], None, None
    for l in sections.get("COMMANDS", []) + ["## end"]:
        if l.startswith("## "):
            if head:
                commands.append((head, body))
            head, body = l[3:].strip(), []
        elif head is not None:
            body.append(l)

    # Definitions by long name, to fill in options listed without a value.
    defined = dict(api)
    cmds = []
    for head, body in commands:
        words = head.split()[1:]  # "quire render [OPTIONS] FILE..."
        path = []
        for w in words:
            if re.fullmatch(r"[a-z][a-z-]*", w):
                path.append(w)
            else:
                break
        rest = words[len(path):]
        positional = None
        for w in rest:
            w = w.strip("[].")
            if w == "FILE":
                positional = "reports"
            elif w == "NAME":
                positional = "templates"
            elif w == "COMMAND":
                positional = "commands"
        summary_lines = []
        for l in body:
            if not l.strip():
                if summary_lines:
                    break
                continue
            if l.startswith(("*", "\t")):
                break
            summary_lines.append(l)
        opts = options(body)
        for o in opts:
            if o.arg is not None:
                defined.setdefault(o.long[0] if o.long else o.names[0], o)
        cmds.append({"path": path, "positional": positional, "opts": opts,
                     "summary": short_desc(" ".join(summary_lines))})
    for c in cmds:
        for o in c["opts"]:
            if o.arg is None and len(o.names) == 1 and o.names[0] in defined:
                d = defined[o.names[0]]
                if d.arg is not None:
                    o.arg, o.optional, o.values = d.arg, d.optional, d.values
                    o.desc = o.desc if o.desc and "as for" not in o.desc.lower() else d.desc
                    if "option" in o.desc.lower():
                        o.desc = d.desc
        # Output files: the extensions of the command's formats.
        fmts = next((o.values for o in c["opts"] if o.arg == "FMT"), [])
        c["out_exts"] = [EXT[f] for f in fmts if f in EXT]
        # One entry per option name set; a later duplicate adds nothing.
        seen, uniq = set(), []
        for o in c["opts"]:
            key = tuple(o.names)
            if key not in seen:
                seen.add(key)
                uniq.append(o)
        c["opts"] = uniq
    return common, cmds


def value_kind(o):
    """'values', 'templates', 'outfile', 'file', 'dir' or None."""
    if o.arg is None:
        return None
    if o.values:
        return "values"
    if o.arg == "NAME":
        return "templates"
    if o.arg == "FILE":
        return "outfile" if "--output" in o.names else "file"
    if o.arg in ("DIR", "OUTDIR"):
        return "dir"
    return None


# ------------------------------------------------------------------- bash


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def gen_bash(common, cmds):
    top = [c["path"][0] for c in cmds]
    out = [
        "# bash completion for quire. Generated from man/quire.1.scd by",
        "# completions/gen.py: edit those, not this file.",
        "",
        "_quire_templates() {",
        "  quire templates 2>/dev/null | awk 'NF == 1 && /^[a-z0-9_-]+$/'",
        "}",
        "",
        "# _quire_files EXT...: directories, and files with one of the extensions",
        "# (any file without EXT).",
        "_quire_files() {",
        "  local IFS=$'\\n' e",
        "  compopt -o filenames 2>/dev/null",
        "  if [ $# -eq 0 ]; then",
        "    COMPREPLY=($(compgen -f -- \"$cur\"))",
        "    return",
        "  fi",
        "  COMPREPLY=($(compgen -d -- \"$cur\"))",
        "  for e in \"$@\"; do",
        "    COMPREPLY+=($(compgen -f -X \"!*.$e\" -- \"$cur\"))",
        "  done",
        "}",
        "",
        "_quire() {",
        "  local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= sub= i w",
        "  [ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}",
        "  # --opt=value: bash splits at '=' (COMP_WORDBREAKS).",
        "  local eq=",
        "  if [ \"$cur\" = = ]; then",
        "    cur= eq=1",
        "  elif [ \"$prev\" = = ] && [ \"$COMP_CWORD\" -gt 1 ]; then",
        "    prev=${COMP_WORDS[COMP_CWORD-2]} eq=1",
        "  fi",
        "  for ((i = 1; i < COMP_CWORD; i++)); do",
        "    w=${COMP_WORDS[i]}",
        "    case $w in",
        "    -*) ;;",
        "    *) if [ -z \"$cmd\" ]; then cmd=$w; elif [ -z \"$sub\" ]; then sub=$w; fi ;;",
        "    esac",
        "  done",
        "  if [ -z \"$cmd\" ]; then",
        "    case $cur in",
        "    -*) COMPREPLY=($(compgen -W %s -- \"$cur\")) ;;" % sh_quote(
            " ".join(n for o in common for n in o.names)),
        "    *) COMPREPLY=($(compgen -W %s -- \"$cur\")) ;;" % sh_quote(
            " ".join(top + ["help"])),
        "    esac",
        "    return",
        "  fi",
        "  case $cmd in",
        "  help)",
        "    [ -z \"$sub\" ] || [ \"$sub\" = \"$cur\" ] && COMPREPLY=($(compgen -W %s -- \"$cur\"))"
        % sh_quote(" ".join(top)),
        "    return ;;",
    ]
    for c in cmds:
        name = c["path"][0]
        out.append("  %s)" % name)
        if len(c["path"]) > 1:
            out += [
                "    if [ -z \"$sub\" ] || [ \"$sub\" = \"$cur\" ]; then",
                "      COMPREPLY=($(compgen -W %s -- \"$cur\"))" % sh_quote(c["path"][1]),
                "      return",
                "    fi",
            ]
        # Values of the option before the cursor.
        cases = []
        for o in c["opts"]:
            kind = value_kind(o)
            if o.arg is None or (o.optional and kind != "values"):
                continue
            pat = "|".join(o.names)
            if kind == "values":
                act = "COMPREPLY=($(compgen -W %s -- \"$cur\"))" % sh_quote(" ".join(o.values))
            elif kind == "templates":
                act = "COMPREPLY=($(compgen -W \"$(_quire_templates)\" -- \"$cur\"))"
            elif kind == "outfile":
                act = "_quire_files %s" % " ".join(c["out_exts"])
            elif kind == "file":
                act = "_quire_files"
            elif kind == "dir":
                act = "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))"
            else:
                act = "COMPREPLY=()"
            if o.optional:  # only --opt=VALUE, never --opt VALUE
                cases.append("    %s) if [ -n \"$eq\" ]; then %s; return; fi ;;" % (pat, act))
            else:
                cases.append("    %s) %s; return ;;" % (pat, act))
        if cases:
            out.append("    case $prev in")
            out += cases
            out.append("    esac")
        names = []
        for o in c["opts"]:
            for n in o.names:
                names.append(n)
                if o.optional and n.startswith("--"):
                    names.append(n + "=")
        names += ["-h", "--help"]
        pos = {"reports": "_quire_files %s" % " ".join(REPORT_EXTS),
               "templates": "COMPREPLY=($(compgen -W \"$(_quire_templates)\" -- \"$cur\"))",
               "commands": "COMPREPLY=($(compgen -W %s -- \"$cur\"))" % sh_quote(" ".join(top))
               }.get(c["positional"], "COMPREPLY=()")
        out += [
            "    case $cur in",
            "    -*)",
            "      COMPREPLY=($(compgen -W %s -- \"$cur\"))" % sh_quote(" ".join(names)),
            "      [ ${#COMPREPLY[@]} -eq 1 ] && [[ $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null ;;",
            "    *) %s ;;" % pos,
            "    esac",
            "    ;;",
        ]
    out += ["  esac", "}", "complete -F _quire quire", ""]
    return "\n".join(out)


# -------------------------------------------------------------------- zsh


def zq(s):
    """A zsh single-quoted word with _arguments' specials escaped."""
    s = s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")
    return s.replace("'", "'\\''")


def zsh_action(o, c):
    kind = value_kind(o)
    if kind == "values":
        return "(%s)" % " ".join(o.values)
    if kind == "templates":
        return "_quire_templates"
    if kind == "outfile":
        return "_files -g '*.(%s)(-.)'" % "|".join(c["out_exts"])
    if kind == "file":
        return "_files"
    if kind == "dir":
        return "_files -/"
    return " "


def zsh_specs(c):
    specs = []
    for o in c["opts"]:
        excl = "(%s)" % " ".join(o.names) if len(o.names) > 1 else ""
        action = zsh_action(o, c).replace("'", "'\\''")
        arg = o.arg.lower() if o.arg else ""
        for n in o.names:
            if o.arg is None:
                spec = "%s%s[%s]" % (excl, n, zq(o.desc))
            elif o.optional:
                spec = "%s%s=-[%s]::%s:%s" % (excl, n, zq(o.desc), arg, action)
            elif n.startswith("--"):
                spec = "%s%s=[%s]:%s:%s" % (excl, n, zq(o.desc), arg, action)
            else:
                spec = "%s%s+[%s]:%s:%s" % (excl, n, zq(o.desc), arg, action)
            specs.append("'%s'" % spec)
    specs.append("'(- *)'{-h,--help}'[print the usage of the command]'")
    pos = c["positional"]
    if pos == "reports":
        specs.append("'*:report:_files -g \"*.(%s)(-.)\"'" % "|".join(REPORT_EXTS))
    elif pos == "templates":
        specs.append("'1:template:_quire_templates'")
    elif pos == "commands":
        specs.append("'1:command:_quire_commands'")
    return specs


def gen_zsh(common, cmds):
    out = [
        "#compdef quire",
        "# zsh completion for quire. Generated from man/quire.1.scd by",
        "# completions/gen.py: edit those, not this file.",
        "",
        "_quire_templates() {",
        "  local -a t",
        "  t=(${(f)\"$(_call_program templates quire templates 2>/dev/null)\"})",
        "  t=(${(M)t:#[a-z0-9_-]##})",
        "  _describe -t templates template t",
        "}",
        "",
        "_quire_commands() {",
        "  local -a c",
        "  c=(",
    ]
    for c in cmds:
        out.append("    '%s:%s'" % (c["path"][0], zq(c["summary"])))
    out += [
        "    'help:describe a command and its options'",
        "  )",
        "  _describe -t commands command c",
        "}",
        "",
        "_quire() {",
        "  local curcontext=$curcontext state line",
        "  typeset -A opt_args",
        "  _arguments -C \\",
    ]
    for o in common:
        out.append("    '(- *)'{%s}'[%s]' \\" % (",".join(o.names), zq(o.desc)))
    out += [
        "    '1:command:_quire_commands' \\",
        "    '*::argument:->args'",
        "  [[ $state == args ]] || return",
        "  curcontext=${curcontext%:*:*}:quire-$words[1]:",
        "  case $words[1] in",
        "  help) _arguments '1:command:_quire_commands' ;;",
    ]
    for c in cmds:
        name = c["path"][0]
        specs = zsh_specs(c)
        if len(c["path"]) > 1:
            out += [
                "  %s)" % name,
                "    if (( CURRENT == 2 )); then",
                "      _values subcommand %s" % c["path"][1],
                "      return",
                "    fi",
                "    shift words; (( CURRENT-- ))",
                "    _arguments -s \\",
            ]
        else:
            out += ["  %s)" % name, "    _arguments -s \\"]
        for s in specs[:-1]:
            out.append("      %s \\" % s)
        out.append("      %s" % specs[-1])
        out.append("    ;;")
    out += ["  esac", "}", "", '_quire "$@"', ""]
    return "\n".join(out)


# ------------------------------------------------------------------- fish


def fq(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def gen_fish(common, cmds):
    top = [c["path"][0] for c in cmds]
    allcmds = " ".join(top + ["help"])
    out = [
        "# fish completion for quire. Generated from man/quire.1.scd by",
        "# completions/gen.py: edit those, not this file.",
        "",
        "function __quire_templates",
        "    quire templates 2>/dev/null | string match -r '^[a-z0-9_-]+$'",
        "end",
        "",
        "# __quire_files EXT...: directories and files with one of the extensions.",
        "function __quire_files",
        "    set -l token (commandline -ct)",
        "    for f in $token*",
        "        if test -d $f",
        "            echo $f/",
        "        else",
        "            for e in $argv",
        "                string match -q -- \"*.$e\" $f; and echo $f",
        "            end",
        "        end",
        "    end",
        "end",
        "",
        "complete -c quire -f",
    ]
    for o in common:
        args = " ".join(("-s %s" % n[1:]) if not n.startswith("--") else ("-l %s" % n[2:])
                        for n in o.names)
        out.append("complete -c quire -n '__fish_use_subcommand' %s -d %s" % (args, fq(o.desc)))
    for c in cmds:
        out.append("complete -c quire -n '__fish_use_subcommand' -a %s -d %s"
                   % (c["path"][0], fq(c["summary"])))
    out.append("complete -c quire -n '__fish_use_subcommand' -a help -d "
               "'describe a command and its options'")
    out.append("complete -c quire -n '__fish_seen_subcommand_from help' -a %s" % fq(" ".join(top)))
    for c in cmds:
        name = c["path"][0]
        cond = "__fish_seen_subcommand_from %s" % name
        out.append("")
        if len(c["path"]) > 1:
            out.append("complete -c quire -n '%s; and not __fish_seen_subcommand_from %s' -a %s"
                       % (cond, c["path"][1], c["path"][1]))
        for o in c["opts"]:
            parts = ["complete -c quire -n '%s'" % cond]
            for n in o.names:
                parts.append("-s %s" % n[1:] if not n.startswith("--") else "-l %s" % n[2:])
            kind = value_kind(o)
            if o.arg is not None and o.optional:
                if kind == "values":  # --color=WHEN
                    parts.append("-a %s" % fq(" ".join(o.values)))
            elif o.arg is not None:
                if kind == "values":
                    parts.append("-x -a %s" % fq(" ".join(o.values)))
                elif kind == "templates":
                    parts.append("-x -a '(__quire_templates)'")
                elif kind == "outfile":
                    parts.append("-x -a %s" % fq("(__quire_files %s)" % " ".join(c["out_exts"])))
                elif kind == "file":
                    parts.append("-r -F")
                elif kind == "dir":
                    parts.append("-x -a '(__fish_complete_directories)'")
                else:
                    parts.append("-x")
            parts.append("-d %s" % fq(o.desc))
            out.append(" ".join(parts))
        pos = c["positional"]
        if pos == "reports":
            out.append("complete -c quire -n '%s' -a %s" % (
                cond, fq("(__quire_files %s)" % " ".join(REPORT_EXTS))))
        elif pos == "templates":
            out.append("complete -c quire -n '%s' -a '(__quire_templates)'" % cond)
    out.append("")
    return "\n".join(out)


def main():
    scd, outdir = sys.argv[1], sys.argv[2]
    common, cmds = parse(open(scd, encoding="utf-8").read())
    if not cmds:
        sys.exit("gen.py: no '## quire COMMAND' sections in " + scd)
    os.makedirs(outdir, exist_ok=True)
    for name, text in (("quire.bash", gen_bash(common, cmds)),
                       ("_quire", gen_zsh(common, cmds)),
                       ("quire.fish", gen_fish(common, cmds))):
        tmp = os.path.join(outdir, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, os.path.join(outdir, name))


if __name__ == "__main__":
    main()
