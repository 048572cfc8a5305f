package jocker.dockerfile;

import java.util.List;

/**
 * One instruction of a Dockerfile as the parser leaves it: its keyword as
 * written, its flags (--from=x ...), its arguments, not yet expanded. An
 * argument is a string, or (ONBUILD's) an instruction of its own.
 *
 * @param json      the arguments came from a JSON array (exec form)
 * @param original  the instruction's text after continuations were joined
 * @param startLine the first line of the instruction (1-based)
 * @param endLine   its last line
 */
public record Node(String keyword, List<String> flags, List<Arg> args, boolean json, String original, int startLine,
                   int endLine) {
    public Node {
        flags = List.copyOf(flags);
        args = List.copyOf(args);
    }

    /** An argument: a value, or a nested instruction (ONBUILD RUN ...). */
    public record Arg(String value, Node child) {
        public static Arg of(String value) {
            return new Arg(value, null);
        }
    }

    /** The argument values (a nested instruction's keyword stands for it). */
    public List<String> values() {
        return args.stream().map(a -> a.child() != null ? a.child().keyword() : a.value()).toList();
    }

    /** The keyword in lower case: what the builder dispatches on. */
    public String command() {
        return keyword.toLowerCase(java.util.Locale.ROOT);
    }

    // tag::dump[]
    /**
     * The instruction in buildkit's AST dump: the keyword in lower case, the
     * flags as a Go %q of a string slice, each argument Go-quoted, a nested
     * instruction in parentheses.
     */
    public String dump() {
        StringBuilder s = new StringBuilder(command());
        if (!flags.isEmpty()) {
            s.append(" [");
            for (int i = 0; i < flags.size(); i++) {
                s.append(i == 0 ? "" : " ").append(GoQuote.quote(flags.get(i)));
            }
            s.append(']');
        }
        for (Arg a : args) {
            s.append(' ').append(a.child() != null ? "(" + a.child().dump() + ")" : GoQuote.quote(a.value()));
        }
        return s.toString();
    }
    // end::dump[]
}
