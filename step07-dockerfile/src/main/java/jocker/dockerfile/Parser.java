package jocker.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's Dockerfile parser (buildkit's frontend/dockerfile/parser), as a
 * pure function of the file's text: parser directives, comments, line
 * continuations with the escape character, then each instruction's
 * arguments in the form its instruction takes (JSON or shell form, words,
 * key=value pairs). Nothing is expanded here: ${VAR} is the builder's,
 * with the variables of its step.
 */
public final class Parser {
    /** buildkit's reWhitespace: blanks, but not the newline */
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\x0B\\f\\r ]+");
    private static final Pattern DIRECTIVE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * A parsed Dockerfile.
     *
     * @param directives the parser directives found (syntax, escape, check), by name
     * @param warnings   what docker warns of (empty continuation lines)
     */
    public record Result(List<Node> instructions, char escape, Map<String, String> directives, List<String> warnings) {
    }

    private char escape = '\\';
    private Pattern continuation = continuationPattern('\\');
    private final Map<String, String> directives = new LinkedHashMap<>();
    private boolean directivesDone;

    private Parser() {}

    public static Result parse(String text) {
        return new Parser().run(text);
    }

    // tag::lines[]
    /**
     * The file, line by line: a first line is trimmed on the left and may be
     * a directive; a comment line is nothing; a line that ends in the escape
     * character goes on with the next lines (comments among them skipped,
     * empty ones skipped with a warning) until one does not.
     */
    private Result run(String text) {
        List<String> lines = split(text);
        List<Node> instructions = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int current = 0;
        int i = 0;
        while (i < lines.size()) {
            String raw = lines.get(i++);
            if (current == 0 && raw.startsWith("\uFEFF")) {
                raw = raw.substring(1);
            }
            String line = processLine(raw, true, current + 1);
            current++;
            int start = current;
            String[] trimmed = trimContinuation(line);
            boolean endOfLine = trimmed[1] == null;
            if (endOfLine && trimmed[0].isEmpty()) {
                continue;
            }
            StringBuilder joined = new StringBuilder(trimmed[0]);
            boolean emptyContinuation = false;
            while (!endOfLine && i < lines.size()) {
                String next = lines.get(i++);
                String processed = processLine(next, false, current + 1);
                current++;
                if (isComment(next)) {
                    continue;
                }
                if (trimLeft(trimNewline(processed)).isEmpty()) {
                    emptyContinuation = true;
                    continue;
                }
                trimmed = trimContinuation(processed);
                endOfLine = trimmed[1] == null;
                joined.append(trimmed[0]);
            }
            String instruction = joined.toString();
            if (emptyContinuation) {
                warnings.add("Empty continuation line found in: " + instruction);
            }
            try {
                instructions.add(node(instruction, start, current));
            } catch (DockerfileException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new DockerfileException(start, e.getMessage());
            }
        }
        if (instructions.isEmpty()) {
            throw new DockerfileException(0, "file with no instructions");
        }
        return new Result(instructions, escape, Map.copyOf(directives), warnings);
    }
    // end::lines[]

    /** Lines as Go's scanner gives them: each with its "\n", the last without if the file has none. */
    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl + 1;
            out.add(text.substring(from, to));
            from = to;
        }
        return out;
    }

    /** The newline trimmed, the left too for a first line, a directive taken, a comment emptied. */
    private String processLine(String raw, boolean stripLeft, int lineNumber) {
        String token = trimNewline(raw);
        if (stripLeft) {
            token = trimLeft(token);
        }
        directive(token, lineNumber);
        return isComment(token) ? "" : token;
    }

    // tag::directives[]
    /**
     * Parser directives: "# name=value" lines at the very top, before any
     * other line (a comment, an empty line, an instruction ends them);
     * unknown names end them too. escape= changes the escape character.
     */
    private void directive(String line, int lineNumber) {
        if (directivesDone) {
            return;
        }
        if (!line.startsWith("#")) {
            directivesDone = true;
            return;
        }
        Matcher m = DIRECTIVE.matcher(trimLeft(line.substring(1)));
        if (!m.matches() || !DIRECTIVES.contains(m.group(1).toLowerCase(Locale.ROOT))) {
            directivesDone = true;
            return;
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        if (directives.containsKey(name)) {
            throw new DockerfileException(lineNumber, "only one " + name + " parser directive can be used");
        }
        directives.put(name, m.group(2));
        if (name.equals("escape")) {
            if (!m.group(2).equals("`") && !m.group(2).equals("\\")) {
                throw new DockerfileException(lineNumber, "invalid escape token '" + m.group(2)
                        + "' does not match ` or \\");
            }
            escape = m.group(2).charAt(0);
            continuation = continuationPattern(escape);
        }
    }
    // end::directives[]

    private static Pattern continuationPattern(char escape) {
        String e = "\\" + escape;
        return Pattern.compile("([^" + e + "])" + e + "[ \\t]*\\z|^" + e + "[ \\t]*\\z");
    }

    /** {line without its continuation, non-null if it had one}. */
    private String[] trimContinuation(String line) {
        Matcher m = continuation.matcher(line);
        if (m.find()) {
            return new String[] {line.substring(0, m.start()) + (m.group(1) == null ? "" : m.group(1)), ""};
        }
        return new String[] {line, null};
    }

    static String trimNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    static String trimLeft(String s) {
        int i = 0;
        while (i < s.length() && GoQuote.isSpace(s.codePointAt(i))) {
            i += Character.charCount(s.codePointAt(i));
        }
        return s.substring(i);
    }

    static String trim(String s) {
        String left = trimLeft(s);
        int end = left.length();
        while (end > 0 && GoQuote.isSpace(left.codePointBefore(end))) {
            end -= Character.charCount(left.codePointBefore(end));
        }
        return left.substring(0, end);
    }

    private static boolean isComment(String line) {
        return trimLeft(line).startsWith("#");
    }

    // tag::instruction[]
    /** One instruction: its keyword, its --flags, then its arguments in its instruction's form. */
    private Node node(String line, int start, int end) {
        String[] keywordAndRest = WHITESPACE.split(trim(line), 2);
        String keyword = keywordAndRest[0];
        List<String> flags = new ArrayList<>();
        String rest = "";
        if (keywordAndRest.length == 2) {
            rest = trim(extractFlags(keywordAndRest[1], flags));
        }
        Args args = switch (keyword.toLowerCase(Locale.ROOT)) {
            case "add", "copy", "volume" -> maybeJsonToList(rest);
            case "arg" -> Args.of(words(rest));
            case "cmd", "entrypoint", "run", "shell" -> maybeJson(rest);
            case "env" -> nameValues(rest, "ENV");
            case "label" -> nameValues(rest, "LABEL");
            case "expose", "from" -> Args.of(whitespaceDelimited(rest));
            case "healthcheck" -> health(rest);
            case "maintainer", "stopsignal", "user", "workdir" -> Args.of(rest.isEmpty() ? List.of() : List.of(rest));
            case "onbuild" -> rest.isEmpty() ? Args.of(List.of())
                    : new Args(List.of(new Node.Arg(null, node(rest, start, end))), false);
            default -> Args.of(List.of("")); // unknown: the builder refuses it, with its line
        };
        return new Node(keyword, flags, args.args(), args.json(), line, start, end);
    }
    // end::instruction[]

    private record Args(List<Node.Arg> args, boolean json) {
        static Args of(List<String> values) {
            return new Args(values.stream().map(Node.Arg::of).toList(), false);
        }
    }

    /**
     * The --flags before an instruction's arguments, as buildkit's
     * extractBuilderFlags takes them (quotes and the escape character
     * inside a flag work as in a shell word; "--" alone ends them).
     *
     * @return the rest of the line
     */
    private String extractFlags(String line, List<String> words) {
        int inSpaces = 0, inWord = 1, inQuote = 2;
        int phase = inSpaces;
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean blankOk = false;
        char ch = 0;
        for (int pos = 0; pos <= line.length(); pos++) {
            if (pos != line.length()) {
                ch = line.charAt(pos);
            }
            if (phase == inSpaces) {
                if (pos == line.length()) {
                    break;
                }
                if (GoQuote.isSpace(ch)) {
                    continue;
                }
                if (ch != '-' || pos + 1 == line.length() || line.charAt(pos + 1) != '-') {
                    return line.substring(pos);
                }
                phase = inWord;
            }
            if ((phase == inWord || phase == inQuote) && pos == line.length()) {
                if (!word.toString().equals("--") && (blankOk || word.length() > 0)) {
                    words.add(word.toString());
                }
                break;
            }
            if (phase == inWord) {
                if (GoQuote.isSpace(ch)) {
                    phase = inSpaces;
                    if (word.toString().equals("--")) {
                        return line.substring(pos);
                    }
                    if (blankOk || word.length() > 0) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    blankOk = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                    continue;
                }
                if (ch == escape) {
                    if (pos + 1 == line.length()) {
                        continue;
                    }
                    pos++;
                    ch = line.charAt(pos);
                }
                word.append(ch);
                continue;
            }
            if (ch == quote) { // in a quote
                phase = inWord;
                continue;
            }
            if (ch == escape) {
                if (pos + 1 == line.length()) {
                    phase = inWord;
                    continue;
                }
                pos++;
                ch = line.charAt(pos);
            }
            word.append(ch);
        }
        return "";
    }

    // tag::words[]
    /**
     * Words as ARG, ENV and LABEL split them: at blanks outside quotes, the
     * quotes and escapes kept in the word (the builder's expansion removes
     * them later); an escape character at the very end is dropped.
     */
    List<String> words(String rest) {
        int inSpaces = 0, inWord = 1, inQuote = 2;
        List<String> words = new ArrayList<>();
        int phase = inSpaces;
        int quote = 0;
        boolean blankOk = false;
        StringBuilder word = new StringBuilder();
        int ch = 0;
        int width = 0;
        for (int pos = 0; pos <= rest.length(); pos += width) {
            if (pos != rest.length()) {
                ch = rest.codePointAt(pos);
                width = Character.charCount(ch);
            }
            if (phase == inSpaces) {
                if (pos == rest.length()) {
                    break;
                }
                if (GoQuote.isSpace(ch)) {
                    continue;
                }
                phase = inWord;
            }
            if ((phase == inWord || phase == inQuote) && pos == rest.length()) {
                if (blankOk || word.length() > 0) {
                    words.add(word.toString());
                }
                break;
            }
            if (phase == inWord) {
                if (GoQuote.isSpace(ch)) {
                    phase = inSpaces;
                    if (blankOk || word.length() > 0) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    blankOk = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                }
                if (ch == escape) {
                    if (pos + width == rest.length()) {
                        continue;
                    }
                    word.appendCodePoint(ch);
                    pos += width;
                    ch = rest.codePointAt(pos);
                    width = Character.charCount(ch);
                }
                word.appendCodePoint(ch);
                continue;
            }
            if (ch == quote) { // in a quote
                phase = inWord;
            }
            if (ch == escape && quote != '\'') {
                if (pos + width == rest.length()) {
                    phase = inWord;
                    continue;
                }
                pos += width;
                word.appendCodePoint(ch);
                ch = rest.codePointAt(pos);
                width = Character.charCount(ch);
            }
            word.appendCodePoint(ch);
        }
        return words;
    }
    // end::words[]

    // tag::name-values[]
    /**
     * ENV and LABEL: "key value" (the old form: one pair, the value the rest
     * of the line) or key=value words; each pair is dumped as (key, value,
     * "=" or "").
     */
    private Args nameValues(String rest, String instruction) {
        List<String> ws = words(rest);
        if (ws.isEmpty()) {
            return Args.of(List.of());
        }
        List<String> out = new ArrayList<>();
        if (!ws.get(0).contains("=")) {
            String[] parts = WHITESPACE.split(rest, 2);
            if (parts.length < 2) {
                throw new RuntimeException(instruction + " must have two arguments");
            }
            return Args.of(List.of(parts[0], parts[1], ""));
        }
        for (String w : ws) {
            int eq = w.indexOf('=');
            if (eq < 0) {
                throw new RuntimeException("Syntax error - can't find = in " + GoQuote.quote(w)
                        + ". Must be of the form: name=value");
            }
            out.addAll(List.of(w.substring(0, eq), w.substring(eq + 1), "="));
        }
        return Args.of(out);
    }
    // end::name-values[]

    private static List<String> whitespaceDelimited(String rest) {
        return rest.isEmpty() ? List.of() : List.of(WHITESPACE.split(rest, -1));
    }

    // tag::json[]
    /**
     * The exec form: a JSON array of strings, and nothing after it; an
     * array of anything else is an error; what is not a JSON array at all
     * is the shell form.
     */
    private static List<String> json(String rest) {
        String r = trimLeft(rest);
        if (!r.startsWith("[")) {
            return null;
        }
        JsonNode array;
        try {
            array = JSON.readTree(r);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : array) {
            if (!e.isTextual()) {
                throw new RuntimeException("when using JSON array syntax, arrays must be comprised of strings only");
            }
            out.add(e.asText());
        }
        return out;
    }
    // end::json[]

    /** RUN, CMD, ENTRYPOINT, SHELL: JSON, or the rest of the line as one string. */
    private static Args maybeJson(String rest) {
        if (rest.isEmpty()) {
            return Args.of(List.of());
        }
        List<String> j = json(rest);
        return j != null ? new Args(Args.of(j).args(), true) : Args.of(List.of(rest));
    }

    /** ADD, COPY, VOLUME: JSON, or words split at blanks. */
    private static Args maybeJsonToList(String rest) {
        List<String> j = json(rest);
        return j != null ? new Args(Args.of(j).args(), true) : Args.of(whitespaceDelimited(rest));
    }

    /** HEALTHCHECK: its type (CMD, NONE ...), then the command as RUN's. */
    private static Args health(String rest) {
        int sep = 0;
        while (sep < rest.length() && !GoQuote.isSpace(rest.charAt(sep))) {
            sep++;
        }
        int next = sep;
        while (next < rest.length() && GoQuote.isSpace(rest.charAt(next))) {
            next++;
        }
        if (sep == 0) {
            return Args.of(List.of());
        }
        Args cmd = maybeJson(rest.substring(next));
        List<Node.Arg> all = new ArrayList<>();
        all.add(Node.Arg.of(rest.substring(0, sep)));
        all.addAll(cmd.args());
        return new Args(all, cmd.json());
    }
}
