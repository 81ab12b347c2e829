package io.qualitylake.batch.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.batch.benchmarks.BenchmarksJob;
import io.qualitylake.batch.grading.GradingJob;
import io.qualitylake.batch.reliability.ReliabilityJob;
import io.qualitylake.batch.suppliers.SuppliersJob;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.GradingWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every notebook in notebooks/ executes headless (jupyter nbconvert --execute) on the project's own
 * Java kernel against a small lake, with no cell error. Runs where Debian's Jupyter is installed;
 * CI installs it (.ci/run) and sets QLAKE_REQUIRE_NOTEBOOKS=1, which makes a missing Jupyter a failure.
 */
class NotebooksIT {
    @Test
    void everyNotebookExecutesWithoutACellError() throws Exception {
        boolean available = Files.isExecutable(Path.of("/usr/bin/jupyter-nbconvert"));
        if ("1".equals(System.getenv("QLAKE_REQUIRE_NOTEBOOKS"))) {
            assertTrue(available, "QLAKE_REQUIRE_NOTEBOOKS=1 but Jupyter (jupyter-nbconvert) is not installed");
        }
        assumeTrue(available, "Jupyter not installed (apt-get install jupyter-notebook jupyter-nbconvert python3-ipykernel)");

        GradingWorld world = GradingWorld.get();
        for (var job : List.of(new ReliabilityJob(), new GradingJob(), new BenchmarksJob(), new SuppliersJob())) {
            BatchTestSupport.run(BatchTestSupport.spark(), job, world.lake, world.asOf, null);
        }
        Path jupyter = Files.createTempDirectory("qlake-jupyter");
        assertEquals(null, run(List.of("../notebooks/install-kernel.sh", jupyter.toString()), null, null, false));

        Path out = Files.createTempDirectory("qlake-notebooks");
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(Path.of("../notebooks"))) {
            notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 2, "numbered notebooks: " + notebooks);
        for (Path nb : notebooks) {
            List<String> cmd = List.of("jupyter", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600",
                    "--ExecutePreprocessor.startup_timeout=90", "--ExecutePreprocessor.kernel_name=qualitylake-java",
                    "--output-dir", out.toString(), nb.toString());
            // rapaio kernel 3.0.1 sometimes binds its sockets and then never answers the first
            // kernel_info_request (about 1 start in 4 here, with or without load); a fresh start
            // works, so a start that times out is retried, up to 10 starts (3 once all failed in a row;
            // on 2026-12-07 a local CI run saw 5 in a row fail, so the failures are not independent and
            // five were too few). Cell errors are never retried.
            String result = run(cmd, jupyter, world.lake, true);
            for (int attempt = 2; result != null && attempt <= KERNEL_STARTS; attempt++) {
                System.err.println("notebook kernel did not answer; start " + attempt + " of " + KERNEL_STARTS + " for " + nb.getFileName());
                result = run(cmd, jupyter, world.lake, true);
            }
            assertEquals(null, result, nb + " did not execute");
            JsonNode executed = new ObjectMapper().readTree(out.resolve(nb.getFileName()).toFile());
            int code = 0;
            for (JsonNode cell : executed.path("cells")) {
                if (!cell.path("cell_type").asText().equals("code")) {
                    continue;
                }
                code++;
                for (JsonNode o : cell.path("outputs")) {
                    assertTrue(!o.path("output_type").asText().equals("error"), nb + ": " + o.path("ename") + " " + o.path("evalue"));
                }
                assertTrue(cell.path("outputs").size() > 0 || cell.path("source").toString().contains("import"),
                        nb + ": a code cell printed nothing: " + cell.path("source"));
            }
            assertTrue(code >= 4, nb + " has its code cells");
        }
    }

    /** Kernel starts per notebook before the test gives up (each waits up to the 90 s startup timeout). */
    private static final int KERNEL_STARTS = 10;

    /** Runs the command; null on success, "kernel start" when a kernel did not answer (if retryable), else fails. */
    private static String run(List<String> cmd, Path jupyterPath, Path lake, boolean retryKernelStart) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
        if (jupyterPath != null) {
            pb.environment().put("JUPYTER_PATH", jupyterPath.toString());
        }
        if (lake != null) {
            pb.environment().put("QLAKE_LAKE", lake.toString());
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), String.join(" ", cmd) + " timed out");
        if (p.exitValue() != 0 && retryKernelStart && output.contains("Kernel didn't respond")) {
            return "kernel start";
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + output.substring(Math.max(0, output.length() - 3000)));
        return null;
    }
}
