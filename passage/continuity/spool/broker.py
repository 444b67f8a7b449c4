"""The shared spool: a durable RabbitMQ queue, written with publisher confirms, for sites
where several web servers run and no one server's disk may hold a submission alone.

A submission is answered only once the broker confirmed it kept the message (persistent,
on a durable queue, routed: `mandatory`). The replayer takes messages one by one and
acknowledges each only after the database committed what it made of it; a replayer that
dies before that leaves the message to be delivered again, and the receipt, recorded in
the same transaction as the case, makes the second delivery a no-op."""

import logging
import threading
from collections.abc import Iterator

import pika
from pika.adapters.blocking_connection import BlockingChannel, BlockingConnection
from pika.exceptions import AMQPError

from passage.continuity.spool.base import Delivery, Found, SpoolUnavailable
from passage.continuity.spool.records import DamagedRecord, SpooledRecord

logger = logging.getLogger(__name__)

CONNECT_SECONDS = 5.0


class Broker:
    """The spool on the queue `queue` of the broker at `url` (amqp://…)."""

    def __init__(self, url: str, queue: str) -> None:
        self.url, self.queue = url, queue
        self._local = threading.local()

    def append(self, record: SpooledRecord) -> None:
        """Publish `record` and wait for the broker's confirmation; one new connection is
        tried when the one this thread had was lost."""
        for attempt in (1, 2):
            try:
                self._channel().basic_publish(
                    exchange="",
                    routing_key=self.queue,
                    body=record.encode(),
                    properties=pika.BasicProperties(
                        delivery_mode=pika.DeliveryMode.Persistent,
                        content_type="application/json",
                        message_id=record.receipt,
                    ),
                    mandatory=True,
                )
                return
            except AMQPError as error:
                self.close()
                if attempt == 2:
                    logger.error("The intake spool could not publish a submission: %r", error)
                    raise SpoolUnavailable(repr(error)) from error

    def pending(self) -> Iterator[Delivery]:
        """The messages waiting on the queue, each unacknowledged until `done`."""
        channel = self._channel()
        try:
            while True:
                method, _properties, body = channel.basic_get(self.queue, auto_ack=False)
                if method is None:
                    return
                try:
                    record = SpooledRecord.decode(body)
                except DamagedRecord as error:
                    # Never a record this code wrote: set aside by the broker, not retried.
                    logger.error("Intake spool queue: a message is not a record (%s)", error)
                    channel.basic_nack(method.delivery_tag, requeue=False)
                    continue
                yield Delivery(record, tag=method.delivery_tag)
        except GeneratorExit:
            # The replayer stopped midway (the database went): closing the connection
            # puts the message it held back on the queue at once.
            self.close()
            raise

    def done(self, delivery: Delivery) -> None:
        """Acknowledge a message once the database committed its replay."""
        self._channel().basic_ack(delivery.tag)

    def find(self, receipt: str) -> Found | None:
        """A queue cannot be searched: the receipt page reads the database instead."""
        return None

    def compact(self) -> int:
        """Nothing to do: an acknowledged message is gone from the queue."""
        return 0

    def delete_queue(self) -> None:
        """Remove the queue and what it holds (tests and benchmarks use their own)."""
        self._channel().queue_delete(self.queue)

    def close(self) -> None:
        """Close this thread's connection, quietly."""
        connection: BlockingConnection | None = getattr(self._local, "connection", None)
        self._local.connection = self._local.channel = None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except AMQPError:
                logger.debug("Closing a broken broker connection failed", exc_info=True)

    def _channel(self) -> BlockingChannel:
        channel: BlockingChannel | None = getattr(self._local, "channel", None)
        if channel is not None and channel.is_open:
            return channel
        self.close()
        parameters = pika.URLParameters(self.url)
        parameters.socket_timeout = CONNECT_SECONDS
        parameters.blocked_connection_timeout = CONNECT_SECONDS * 6
        try:
            connection = pika.BlockingConnection(parameters)
            channel = connection.channel()
            channel.confirm_delivery()
            channel.queue_declare(self.queue, durable=True)
        except AMQPError as error:
            raise SpoolUnavailable(repr(error)) from error
        self._local.connection, self._local.channel = connection, channel
        return channel
