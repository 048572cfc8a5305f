package jocker.dockerfile.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

// tag::dockerignore[]
/**
 * .dockerignore, by docker's rules (moby's patternmatcher): one pattern a
 * line, # comments, paths relative to the context root (a leading / is
 * dropped), * within a path element, ** across elements, ? one character,
 * [...] a class, \ an escape; a pattern excludes what it matches and all
 * below it; !pattern takes back what earlier lines excluded. The last
 * matching line decides.
 */
public final class DockerIgnore {
    private record Rule(Pattern pattern, boolean exception, String text) {
    }

    private final List<Rule> rules = new ArrayList<>();

    public static DockerIgnore parse(String text) {
        DockerIgnore d = new DockerIgnore();
        for (String line : text.split("\n", -1)) {
            String p = line.trim();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            boolean exception = p.startsWith("!");
            if (exception) {
                p = p.substring(1).trim();
                if (p.isEmpty()) {
                    throw new IllegalArgumentException("illegal exclusion pattern: \"!\"");
                }
            }
            p = clean(p);
            if (p.length() > 1 && p.startsWith("/")) {
                p = p.substring(1);
            }
            d.rules.add(new Rule(Pattern.compile(regex(p)), exception, p));
        }
        return d;
    }

    // tag::excludes[]
    /** Whether rel ("a/b/c", no leading /) is left out of the context: the last line that matches it, or a parent, decides. */
    public boolean excludes(String rel) {
        boolean excluded = false;
        for (Rule r : rules) {
            if (r.exception() == !excluded) {
                continue; // an exclusion cannot exclude more than excluded; an exception only what is
            }
            if (matchesOrParent(r.pattern(), rel)) {
                excluded = !r.exception();
            }
        }
        return excluded;
    }
    // end::excludes[]

    /** Whether anything below dir could be taken back by an exception (then dir must be walked). */
    public boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    private static boolean matchesOrParent(Pattern p, String rel) {
        if (p.matcher(rel).matches()) {
            return true;
        }
        for (int slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
            if (p.matcher(rel.substring(0, slash)).matches()) {
                return true;
            }
        }
        return false;
    }

    /** A pattern as a regular expression, as moby's patternmatcher compiles it. */
    static String regex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                        i++;
                    }
                    re.append(i + 1 == pattern.length() ? ".*" : "(.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (ch == '?') {
                re.append("[^/]");
            } else if (ch == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (ch == '[') {
                int end = pattern.indexOf(']', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("syntax error in pattern: " + pattern);
                }
                String cls = pattern.substring(i + 1, end);
                re.append('[').append(cls.startsWith("^") || cls.startsWith("!") ? "^" + cls.substring(1) : cls).append(']');
                i = end;
            } else if (Character.isLetterOrDigit(ch) || ch == '/' || ch == '_' || ch == '-') {
                re.append(ch);
            } else {
                re.append('\\').append(ch);
            }
        }
        return re.toString();
    }

    /** Go's filepath.Clean, for slash paths. */
    static String clean(String path) {
        boolean rooted = path.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!rooted) {
                    out.add("..");
                }
                continue;
            }
            out.add(part);
        }
        String joined = String.join("/", out);
        return rooted ? "/" + joined : joined.isEmpty() ? "." : joined;
    }
}
// end::dockerignore[]
