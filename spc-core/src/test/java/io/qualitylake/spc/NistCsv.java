package io.qualitylake.spc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the second column of a NIST handbook CSV in src/test/resources/refdata/nist (see SOURCE.txt there). */
final class NistCsv {
    private NistCsv() {}

    static double[] column2(String file) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/refdata/nist", file));
        return lines.subList(1, lines.size()).stream().mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
    }
}
