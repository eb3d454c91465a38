// Reads a ZIP archive with Java's own readers and prints, for every entry, what it
// computed from the entry's bytes: one line "mode<TAB>name<TAB>size<TAB>crc32 (8 hex)".
//
//   java Reader.java ARCHIVE
//
// mode "stream": java.util.zip.ZipInputStream, front to back through the local headers as
// a download is read (it never sees the central directory, and checks each STORED entry's
// bytes against the size and CRC-32 of its local header, throwing ZipException if they
// differ). mode "file": java.util.zip.ZipFile, through the central directory; a line
// "mismatch" follows any entry whose bytes disagree with the directory's size or CRC.
// Names cannot hold a tab or a newline: the archives refuse control characters. Exits 1
// with the exception on the last line if either reader throws.
import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

public class Reader {
    private static final byte[] BUFFER = new byte[1 << 20];

    /** Reads `in` to its end: {size, crc32}. */
    private static long[] drain(InputStream in) throws Exception {
        CRC32 crc = new CRC32();
        long size = 0;
        int read;
        while ((read = in.read(BUFFER)) != -1) {
            crc.update(BUFFER, 0, read);
            size += read;
        }
        return new long[] {size, crc.getValue()};
    }

    private static void print(PrintStream out, String mode, String name, long[] read) {
        out.printf("%s\t%s\t%d\t%08x%n", mode, name, read[0], read[1]);
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            try (ZipInputStream stream = new ZipInputStream(
                    new BufferedInputStream(new FileInputStream(args[0]), 1 << 16),
                    StandardCharsets.UTF_8)) {
                ZipEntry entry;
                while ((entry = stream.getNextEntry()) != null) {
                    print(out, "stream", entry.getName(), drain(stream));
                }
            }
            try (ZipFile file = new ZipFile(args[0], StandardCharsets.UTF_8)) {
                Enumeration<? extends ZipEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    long[] read;
                    try (InputStream in = file.getInputStream(entry)) {
                        read = drain(in);
                    }
                    print(out, "file", entry.getName(), read);
                    if (read[0] != entry.getSize() || read[1] != entry.getCrc()) {
                        out.printf("mismatch\t%s\t%d\t%08x%n",
                                entry.getName(), entry.getSize(), entry.getCrc());
                    }
                }
            }
        } catch (Exception error) {
            out.flush();
            System.err.println(error);
            System.exit(1);
        }
    }
}
