package jocker.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the docs' tests read in a chapter's AsciiDoc source. */
final class Adoc {
    private Adoc() {}

    /** The text of the level-1 section "== heading", up to the next one; null if the chapter has none. */
    static String section(String chapter, String heading) {
        int start = chapter.indexOf("\n== " + heading + "\n");
        if (start < 0) {
            return null;
        }
        int end = chapter.indexOf("\n== ", start + 1);
        return chapter.substring(start, end < 0 ? chapter.length() : end);
    }

    /** The first group of every match of pattern in text, in order. */
    static List<String> firstGroups(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
