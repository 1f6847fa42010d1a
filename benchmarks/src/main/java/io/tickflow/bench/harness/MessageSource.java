package io.tickflow.bench.harness;

import org.apache.kafka.clients.producer.ProducerRecord;

/** The {@code index}-th message of a paced run, stamped with its intended send time. Called from one thread. */
interface MessageSource {
    ProducerRecord<byte[], byte[]> message(long index, long intendedMicros);
}
