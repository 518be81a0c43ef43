package io.leadcredits.kafka;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the Kafka sink publishes the event feed: the brokers it first contacts and the topic. No
 * brokers means no sink.
 */
public record KafkaSettings(List<String> bootstrapServers, String topic) {

  /** A broker's address as Kafka's client takes it. */
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]+:[0-9]{1,5}");

  /** The characters Kafka allows in a topic's name. */
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]+");

  /** Kafka refuses longer topic names. */
  private static final int TOPIC_LENGTH_MAX = 249;

  public static final KafkaSettings OFF = new KafkaSettings(List.of(), "leadcredits.events");

  public KafkaSettings {
    bootstrapServers = List.copyOf(bootstrapServers);
    for (String server : bootstrapServers) {
      require(
          HOST_PORT.matcher(server).matches(),
          "LEADCREDITS_KAFKA_BOOTSTRAP_SERVERS must be host:port,host:port: " + server);
      int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
      require(
          port >= 1 && port <= 65535,
          "LEADCREDITS_KAFKA_BOOTSTRAP_SERVERS port must be 1..65535: " + server);
    }
    require(
        topic != null
            && TOPIC.matcher(topic).matches()
            && topic.length() <= TOPIC_LENGTH_MAX
            && !topic.equals(".")
            && !topic.equals(".."),
        "LEADCREDITS_KAFKA_TOPIC must be 1.."
            + TOPIC_LENGTH_MAX
            + " of [A-Za-z0-9._-] (and not . or ..): "
            + topic);
  }

  public static KafkaSettings fromConfig(Config c) {
    List<String> servers = new ArrayList<>();
    for (String s : c.getString("bootstrap-servers").split(",")) {
      if (!s.isBlank()) {
        servers.add(s.strip());
      }
    }
    return new KafkaSettings(servers, c.getString("topic"));
  }

  /** Whether the sink runs at all. */
  public boolean enabled() {
    return !bootstrapServers.isEmpty();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid setting: " + message);
    }
  }
}
