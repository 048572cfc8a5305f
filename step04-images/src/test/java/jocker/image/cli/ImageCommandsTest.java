package jocker.image.cli;

import jocker.image.registry.Progress;
import jocker.storage.cli.StorageCommands;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the image commands show times and sizes, as docker does. */
class ImageCommandsTest {
    @Test
    void sizesInDecimalUnitsWithThreeDigits() {
        assertEquals("999B", Progress.human(999));
        assertEquals("2.43MB", Progress.human(2_426_880));
        assertEquals("1.00kB", Progress.human(1000));
        assertEquals("204MB", Progress.human(203_796_480));
        assertEquals("1.50TB", Progress.human(1_500_000_000_000L));
    }

    @Test
    void creationTimesParseOrCountAsTheEpoch() {
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), StorageCommands.createdAt("2024-05-01T10:00:00Z"));
        assertEquals(Instant.parse("2024-05-01T10:00:00.123456789Z"), StorageCommands.createdAt("2024-05-01T10:00:00.123456789Z"));
        assertEquals(Instant.EPOCH, StorageCommands.createdAt(null));
        assertEquals(Instant.EPOCH, StorageCommands.createdAt("yesterday"));
    }

    @Test
    void agesInTheLargestWholeUnit() {
        assertEquals("N/A", ImageCommands.ago(null));
        assertEquals("yesterday", ImageCommands.ago("yesterday"));
        assertEquals("3 minutes ago", ImageCommands.ago(Instant.now().minusSeconds(200).toString()));
        assertEquals("5 hours ago", ImageCommands.ago(Instant.now().minusSeconds(5 * 3600 + 10).toString()));
        assertEquals("12 days ago", ImageCommands.ago(Instant.now().minusSeconds(12 * 86400 + 10).toString()));
    }

    @Test
    void durationsReadAsDockersDo() {
        assertEquals("Less than a second", ImageCommands.humanDuration(java.time.Duration.ofMillis(400)));
        assertEquals("1 second", ImageCommands.humanDuration(java.time.Duration.ofSeconds(1)));
        assertEquals("59 seconds", ImageCommands.humanDuration(java.time.Duration.ofSeconds(59)));
        assertEquals("About a minute", ImageCommands.humanDuration(java.time.Duration.ofSeconds(119)));
        assertEquals("2 minutes", ImageCommands.humanDuration(java.time.Duration.ofSeconds(120)));
        assertEquals("About an hour", ImageCommands.humanDuration(java.time.Duration.ofMinutes(89)));
        assertEquals("2 hours", ImageCommands.humanDuration(java.time.Duration.ofMinutes(90)));
        assertEquals("47 hours", ImageCommands.humanDuration(java.time.Duration.ofHours(47)));
        assertEquals("2 days", ImageCommands.humanDuration(java.time.Duration.ofHours(48)));
        assertEquals("2 weeks", ImageCommands.humanDuration(java.time.Duration.ofDays(14)));
        assertEquals("2 months", ImageCommands.humanDuration(java.time.Duration.ofDays(60)));
        assertEquals("3 years", ImageCommands.humanDuration(java.time.Duration.ofDays(3 * 365 + 5)));
    }
}
