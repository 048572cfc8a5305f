package jocker.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every chapter ends with questions, and every question has its answer in
 * answers.adoc, with a way for the learner to check it: no question without
 * an answer, no answer without its question, no answer that is only an
 * opinion.
 */
class QuestionsTest {
    private static final Path CHAPTERS = Path.of("src/docs/asciidoc");
    private static final Pattern CHAPTER = Pattern.compile("(\\d\\d)-.*\\.adoc");
    private static final Pattern QUESTION_LINK = Pattern.compile("xref:answers\\.adoc#([a-z0-9-]+)\\[");
    private static final Pattern ANSWER_ANCHOR = Pattern.compile("(?m)^\\[#([a-z0-9-]+)]\\n=== ");

    /** The answers, by anchor id, in their order in answers.adoc. */
    static Map<String, String> answers(String text) {
        Map<String, String> answers = new LinkedHashMap<>();
        Matcher m = ANSWER_ANCHOR.matcher(text);
        List<Integer> starts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            starts.add(m.start());
            ids.add(m.group(1));
        }
        for (int i = 0; i < ids.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1) : text.length();
            String body = text.substring(starts.get(i), end);
            int nextChapter = body.indexOf("\n== ");
            answers.put(ids.get(i), nextChapter < 0 ? body : body.substring(0, nextChapter));
        }
        return answers;
    }

    /** The answer ids a chapter's questions section links to, in order. */
    static List<String> questions(String chapter) {
        String section = Adoc.section(chapter, "Questions");
        return section == null ? List.of() : Adoc.firstGroups(QUESTION_LINK, section);
    }

    @Test
    void everyChapterHasQuestionsAndEachHasOneAnswerWithAWayToCheckIt() throws IOException {
        Map<String, String> answers = answers(Files.readString(CHAPTERS.resolve("answers.adoc")));
        List<String> asked = new ArrayList<>();
        List<Path> chapters;
        try (Stream<Path> files = Files.list(CHAPTERS)) {
            chapters = files.filter(p -> CHAPTER.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        assertTrue(chapters.size() >= 4, "chapters found: " + chapters);
        for (Path chapter : chapters) {
            Matcher name = CHAPTER.matcher(chapter.getFileName().toString());
            assertTrue(name.matches());
            List<String> ids = questions(Files.readString(chapter));
            assertTrue(ids.size() >= 3, chapter + " ends with " + ids.size() + " questions, fewer than 3");
            for (String id : ids) {
                assertTrue(id.startsWith("q" + name.group(1) + "-"), chapter + ": the answer " + id
                        + " is named for another chapter (q" + name.group(1) + "-...)");
                assertTrue(answers.containsKey(id), chapter + " asks a question whose answer " + id + " is not in answers.adoc");
                assertTrue(answers.get(id).contains("\nCheck: "), "the answer " + id + " does not say how to check it (Check: ...)");
            }
            asked.addAll(ids);
        }
        assertEquals(List.copyOf(answers.keySet()), asked,
                "answers.adoc must answer each chapter's questions once, in the chapters' order");
    }

    @Test
    void theParsersFindWhatTheyShould() {
        String chapter = "x\n== Exercises\nxref:answers.adoc#q09-no[a]\n== Questions\n. A? (xref:answers.adoc#q09-a[answer])\n"
                + ". B? (xref:answers.adoc#q09-b[answer])\n\n== Try it\nxref:answers.adoc#q09-c[c]\n";
        assertEquals(List.of("q09-a", "q09-b"), questions(chapter));
        assertEquals(List.of(), questions("no questions here"));
        Map<String, String> answers = answers("= A\n\n== Step 9\n\n[#q09-a]\n=== A?\n\nYes.\n\nCheck: run it.\n\n"
                + "[#q09-b]\n=== B?\n\nNo.\n\n== Step 10\n\ntext\n");
        assertEquals(List.of("q09-a", "q09-b"), List.copyOf(answers.keySet()));
        assertTrue(answers.get("q09-a").contains("\nCheck: "));
        assertTrue(!answers.get("q09-b").contains("Step 10"), answers.get("q09-b"));
    }
}
