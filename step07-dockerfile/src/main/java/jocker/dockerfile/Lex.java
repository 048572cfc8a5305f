package jocker.dockerfile;

import jocker.sys.JockerException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Docker's word expansion (buildkit's shell.Lex): what ENV, ARG, COPY,
 * WORKDIR, USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL and FROM do to their
 * words with the variables of the step. A small shell: quotes, the escape
 * character, $NAME and ${NAME}, ${NAME:-word} ${NAME:+word} ${NAME:?msg},
 * ${NAME#pat} ${NAME%pat} (and ## %%), ${NAME/pat/repl}; no command
 * substitution, no arithmetic, no globbing.
 */
public final class Lex {
    private static final int EOF = -1;

    private final int escape;
    /** keep the quotes in the result (the heredoc check) */
    boolean rawQuotes;
    /** keep the escape characters in the result */
    boolean rawEscapes;
    /** leave $NAME of an unset NAME as it is */
    boolean skipUnsetEnv;

    private String source = "";
    private int pos;
    private Map<String, String> env = Map.of();

    public Lex(char escape) {
        this.escape = escape;
    }

    /** The word expanded, quotes removed: one string. */
    public String processWord(String word, Map<String, String> env) {
        return process(word, env).result;
    }

    /** The word expanded and split as an unquoted shell word splits: several words. */
    public List<String> processWords(String word, Map<String, String> env) {
        return process(word, env).words;
    }

    private record Processed(String result, List<String> words) {
    }

    private Processed process(String word, Map<String, String> variables) {
        source = word;
        pos = 0;
        env = variables;
        try {
            return processStopOn(EOF, rawEscapes);
        } catch (JockerException e) {
            throw new JockerException("failed to process " + GoQuote.quote(word) + ": " + e.getMessage());
        }
    }

    private int peek() {
        return pos < source.length() ? source.codePointAt(pos) : EOF;
    }

    private int next() {
        if (pos >= source.length()) {
            return EOF;
        }
        int c = source.codePointAt(pos);
        pos += Character.charCount(c);
        return c;
    }

    /** Words being built: a character from an expansion or outside quotes splits at blanks; a raw one never. */
    private static final class Words {
        final StringBuilder buf = new StringBuilder();
        final List<String> words = new ArrayList<>();
        boolean inWord;

        void addChar(int ch) {
            if (GoQuote.isSpace(ch) && inWord) {
                if (buf.length() != 0) {
                    words.add(buf.toString());
                    buf.setLength(0);
                    inWord = false;
                }
            } else if (!GoQuote.isSpace(ch)) {
                addRawChar(ch);
            }
        }

        void addRawChar(int ch) {
            buf.appendCodePoint(ch);
            inWord = true;
        }

        void addString(String s) {
            s.codePoints().forEach(this::addChar);
        }

        void addRawString(String s) {
            buf.append(s);
            inWord = true;
        }

        List<String> get() {
            if (buf.length() > 0) {
                words.add(buf.toString());
                buf.setLength(0);
                inWord = false;
            }
            return words;
        }
    }

    // tag::expand[]
    /** Up to stop (or the end): quotes, $ expansions, the escape character, the rest as it is. */
    private Processed processStopOn(int stop, boolean raw) {
        StringBuilder result = new StringBuilder();
        Words words = new Words();
        boolean saved = rawEscapes;
        rawEscapes = raw;
        try {
            while (peek() != EOF) {
                int ch = peek();
                if (stop != EOF && ch == stop) {
                    next();
                    return new Processed(result.toString(), words.get());
                }
                if (ch == '$' || ch == '<' || ch == '\'' || ch == '"') {
                    String tmp = switch (ch) {
                        case '$' -> processDollar();
                        case '<' -> processPossibleHeredoc();
                        case '\'' -> processSingleQuote();
                        default -> processDoubleQuote();
                    };
                    result.append(tmp);
                    if (ch == '$') {
                        words.addString(tmp); // an expansion splits at blanks
                    } else {
                        words.addRawString(tmp);
                    }
                    continue;
                }
                ch = next();
                if (ch == escape) {
                    if (rawEscapes) {
                        words.addRawChar(ch);
                        result.appendCodePoint(ch);
                    }
                    ch = next();
                    if (ch == EOF) {
                        break;
                    }
                    words.addRawChar(ch);
                } else {
                    words.addChar(ch);
                }
                result.appendCodePoint(ch);
            }
            if (stop != EOF) {
                throw new JockerException("unexpected end of statement while looking for matching "
                        + new String(Character.toChars(stop)));
            }
            return new Processed(result.toString(), words.get());
        } finally {
            rawEscapes = saved;
        }
    }
    // end::expand[]

    /** '...': everything literal up to the next '. */
    private String processSingleQuote() {
        StringBuilder result = new StringBuilder();
        int ch = next();
        if (rawQuotes) {
            result.appendCodePoint(ch);
        }
        while (true) {
            ch = next();
            if (ch == EOF) {
                throw new JockerException("unexpected end of statement while looking for matching single-quote");
            }
            if (ch == '\'') {
                if (rawQuotes) {
                    result.appendCodePoint(ch);
                }
                return result.toString();
            }
            result.appendCodePoint(ch);
        }
    }

    /** "...": $ expanded; the escape character escapes only ", $ and itself. */
    private String processDoubleQuote() {
        StringBuilder result = new StringBuilder();
        int ch = next();
        if (rawQuotes) {
            result.appendCodePoint(ch);
        }
        while (true) {
            int p = peek();
            if (p == EOF) {
                throw new JockerException("unexpected end of statement while looking for matching double-quote");
            }
            if (p == '"') {
                ch = next();
                if (rawQuotes) {
                    result.appendCodePoint(ch);
                }
                return result.toString();
            }
            if (p == '$') {
                result.append(processDollar());
                continue;
            }
            ch = next();
            if (ch == escape) {
                if (rawEscapes) {
                    result.appendCodePoint(ch);
                }
                int after = peek();
                if (after == EOF) {
                    continue;
                }
                if (after == '"' || after == '$' || after == escape) {
                    ch = next();
                }
            }
            result.appendCodePoint(ch);
        }
    }

    // tag::dollar[]
    /** $NAME, ${NAME} and ${NAME<modifier>word}. */
    private String processDollar() {
        next();
        if (peek() != '{') {
            String name = processName();
            if (name.isEmpty()) {
                return "$";
            }
            String value = env.get(name);
            if (value == null && skipUnsetEnv) {
                return "$" + name;
            }
            return value == null ? "" : value;
        }
        next();
        int p = peek();
        if (p == EOF) {
            throw new JockerException("syntax error: missing '}'");
        }
        if (p == '{' || p == '}' || p == ':') {
            throw new JockerException("syntax error: bad substitution");
        }
        String name = processName();
        int ch = next();
        String chs = ch == EOF ? "" : new String(Character.toChars(ch));
        boolean nullIsUnset = false;
        if (ch == '}') {
            String value = env.get(name);
            if (value == null && skipUnsetEnv) {
                return "${" + name + "}";
            }
            return value == null ? "" : value;
        }
        if (ch == ':') {
            nullIsUnset = true;
            ch = next();
            chs += ch == EOF ? "" : new String(Character.toChars(ch));
            if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
                // Go's fallthrough: any character after ':' lands in the modifiers' case
                return modifier(name, ch, chs, true);
            }
        }
        if (ch == '+' || ch == '-' || ch == '?' || ch == '#' || ch == '%') {
            return modifier(name, ch, chs, nullIsUnset);
        }
        if (ch == '/') {
            return replace(name);
        }
        throw new JockerException("unsupported modifier (" + chs + ") in substitution");
    }

    private String modifier(String name, int ch, String chs, boolean nullIsUnset) {
        boolean raw = ch == '#' || ch == '%';
        if (nullIsUnset && raw) {
            throw new JockerException("unsupported modifier (" + chs + ") in substitution");
        }
        String word;
        try {
            word = processStopOn('}', raw).result();
        } catch (JockerException e) {
            if (peek() == EOF) {
                throw new JockerException("syntax error: missing '}'");
            }
            throw e;
        }
        String value = env.get(name);
        boolean set = value != null;
        if (skipUnsetEnv && !set) {
            return "${" + name + chs + word + "}";
        }
        String v = set ? value : "";
        switch (ch) {
            case '-':
                return !set || (nullIsUnset && v.isEmpty()) ? word : v;
            case '+':
                return !set || (nullIsUnset && v.isEmpty()) ? "" : word;
            case '?':
                if (!set) {
                    throw new JockerException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                }
                if (nullIsUnset && v.isEmpty()) {
                    throw new JockerException(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                }
                return v;
            case '%':
            case '#': {
                boolean greedy = false;
                if (!word.isEmpty() && word.charAt(0) == ch) {
                    greedy = true;
                    word = word.substring(1);
                }
                return ch == '%' ? trimSuffix(word, v, greedy) : trimPrefix(word, v, greedy);
            }
            default:
                throw new JockerException("unsupported modifier (" + chs + ") in substitution");
        }
    }
    // end::dollar[]

    /** ${NAME/pattern/replacement}, ${NAME//pattern/replacement}: the first, or every, match replaced. */
    private String replace(String name) {
        boolean all = peek() == '/';
        if (all) {
            next();
        }
        String pattern;
        try {
            pattern = processStopOn('/', true).result();
        } catch (JockerException e) {
            if (peek() == EOF) {
                throw new JockerException("syntax error: missing '/' in ${}");
            }
            throw e;
        }
        String replacement;
        try {
            replacement = processStopOn('}', true).result();
        } catch (JockerException e) {
            if (peek() == EOF) {
                throw new JockerException("syntax error: missing '}'");
            }
            throw e;
        }
        String value = env.get(name);
        if (skipUnsetEnv && value == null) {
            return "${" + name + "/" + pattern + "/" + replacement + "}";
        }
        String v = value == null ? "" : value;
        Pattern re = shellPattern(pattern, true, false);
        Matcher m = re.matcher(v);
        if (all) {
            return m.replaceAll(Matcher.quoteReplacement(replacement));
        }
        return m.find() ? v.substring(0, m.start()) + replacement + v.substring(m.end()) : v;
    }

    /** A name: digits (a positional parameter), one special character, or letters, digits and _. */
    private String processName() {
        StringBuilder name = new StringBuilder();
        while (peek() != EOF) {
            int ch = peek();
            if (name.length() == 0 && Character.isDigit(ch)) {
                while (peek() != EOF && Character.isDigit(peek())) {
                    name.appendCodePoint(next());
                }
                return name.toString();
            }
            if (name.length() == 0 && "@*#?-$!0".indexOf(ch) >= 0) {
                return new String(Character.toChars(next()));
            }
            if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
                break;
            }
            name.appendCodePoint(next());
        }
        return name.toString();
    }

    /** "<<" and the blanks after it kept as they are (a heredoc is the builder's to see). */
    private String processPossibleHeredoc() {
        next();
        if (peek() != '<') {
            return "<";
        }
        next();
        StringBuilder space = new StringBuilder();
        while (peek() == '\t' || peek() == '\r' || peek() == ' ') {
            space.appendCodePoint(next());
        }
        return "<<" + space;
    }

    /** A shell pattern (* ? and \ escapes) as a regular expression. */
    static Pattern shellPattern(String pattern, boolean greedy, boolean anchored) {
        StringBuilder out = new StringBuilder(anchored ? "^" : "");
        String star = greedy ? ".*" : ".*?";
        int[] cps = pattern.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int tok = cps[i];
            switch (tok) {
                case '*' -> {
                    out.append(star);
                    continue;
                }
                case '?' -> {
                    out.append('.');
                    continue;
                }
                case '\\' -> {
                    int after = i + 1 < cps.length ? cps[i + 1] : EOF;
                    if (after == '}' || after == '/') {
                        continue;
                    }
                    out.append('\\');
                    i++;
                    tok = after;
                    if (tok != '*' && tok != '?' && tok != '\\') {
                        throw new JockerException("invalid pattern (" + pattern + ") in substitution: invalid escape '\\"
                                + (tok == EOF ? "" : new String(Character.toChars(tok))) + "'");
                    }
                }
                case '[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$' -> out.append('\\');
                default -> {
                    if (!Character.isLetterOrDigit(tok) && tok != '_' && tok < 0x80 && tok != ' ') {
                        out.append('\\'); // Java's regex treats more characters as special than Go's does
                    }
                }
            }
            out.appendCodePoint(tok);
        }
        try {
            return Pattern.compile(out.toString());
        } catch (PatternSyntaxException e) {
            throw new JockerException("invalid pattern (" + pattern + ") in substitution: " + e.getDescription());
        }
    }

    private static String trimPrefix(String word, String value, boolean greedy) {
        Matcher m = shellPattern(word, greedy, true).matcher(value);
        return m.find() ? value.substring(m.end()) : value;
    }

    /** A suffix: the prefix of the reversed value with the reversed pattern (escapes kept before their character). */
    private static String trimSuffix(String pattern, String word, boolean greedy) {
        int[] p = pattern.codePoints().toArray();
        int[] out = new int[p.length];
        int last = p.length - 1;
        for (int i = 0; i <= last; ) {
            int outIdx = last - i;
            if (p[i] == '\\' && i != last) {
                out[outIdx - 1] = p[i];
                out[outIdx] = p[i + 1];
                i += 2;
            } else {
                out[outIdx] = p[i];
                i++;
            }
        }
        String reversed = new StringBuilder(word).reverse().toString();
        String trimmed = trimPrefix(new String(out, 0, out.length), reversed, greedy);
        return new StringBuilder(trimmed).reverse().toString();
    }
}
