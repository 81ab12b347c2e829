package io.qualitylake.streaming.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.ingestion.sink.EventSink;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import io.qualitylake.ingestion.simulate.Simulator;
import io.qualitylake.ingestion.simulate.Truth;
import io.qualitylake.schemas.Topic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The simulator's world, generated once in memory so it can be sent at a steady pace while faults happen, with
 * what the lake must end up holding. The truth is the simulator's own: every valid event once, each with its
 * event_id; exact duplicates and malformed twins on top ({@link Truth#injected()}).
 */
final class PlantedWorld {
    record Message(Topic topic, String key, byte[] value) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    final List<Message> messages = new ArrayList<>();
    final Truth truth;
    final io.qualitylake.ingestion.simulate.World world;
    final SimulationConfig config;
    /** The event_ids the lake must hold exactly once: every id a sent record carries (a malformed twin repeats its original's id). */
    final Set<String> expectedIds = new HashSet<>();

    PlantedWorld(SimulationConfig config) {
        this.config = config;
        Simulator sim = new Simulator(config);
        this.world = sim.world();
        this.truth = sim.run(new EventSink() {
            @Override
            public void send(Topic topic, String key, byte[] value) {
                messages.add(new Message(topic, key, value));
            }

            @Override
            public void close() {}
        }, d -> { });
        for (Message m : messages) {
            eventId(m.value()).ifPresent(expectedIds::add);
        }
    }

    long duplicates() {
        return ((Number) truth.injected().get("duplicates")).longValue();
    }

    long malformed() {
        return ((Number) truth.injected().get("malformed")).longValue();
    }

    /** Valid unique events by the simulator's count: every record minus injected duplicates and malformed twins. */
    long validUnique() {
        return truth.records() - duplicates() - malformed();
    }

    private static java.util.Optional<String> eventId(byte[] value) {
        try {
            JsonNode n = JSON.readTree(value);
            JsonNode id = n == null ? null : n.get("event_id");
            return id != null && id.isTextual() ? java.util.Optional.of(id.asText()) : java.util.Optional.empty();
        } catch (java.io.IOException e) {
            return java.util.Optional.empty(); // a truncated twin
        }
    }
}
