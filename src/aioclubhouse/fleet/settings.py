"""Where a fleet keeps its state in JetStream, and how it is created on first use.

Three things, all created by the first discoverer or worker that finds them missing
(the same settings make the same objects, so creating twice is harmless):

* the **work stream** (``CLUBHOUSE_FLEET_WORK``, work-queue retention): one *watch*
  assignment per room on ``clubhouse.fleet.watch.<room>``, with ``Nats-Msg-Id`` the
  room, so discoverers racing each other publish it once;
* its durable pull **consumer** shared by every worker: ``ack_wait`` is the lease a
  worker holds on a room while it keeps sending in-progress acks;
* the **key-value bucket** (``clubhouse_fleet_rooms``): one record per room (see
  :mod:`.records`), holding who covers it and the timetoken up to which its events
  are in the events stream, from which a worker taking it over resumes.

Events themselves go to the bridge's events stream (:class:`StreamSettings`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs

from ..bridge.jetstream import StreamSettings, ensure_stream
from ..bridge.nats_link import NatsError, nats_module
from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    from nats.js.client import JetStreamContext
    from nats.js.kv import KeyValue

__all__ = ["FleetSettings"]

DEFAULT_ACK_WAIT: Final = 30.0


def _positive(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidArgumentError(attribute.name, f"must be positive, not {value!r}")


@attrs.frozen(kw_only=True)
class FleetSettings:
    """Names and limits of a fleet's JetStream objects; every member must agree on them."""

    work_stream: str = "CLUBHOUSE_FLEET_WORK"
    work_prefix: str = "clubhouse.fleet.watch"
    consumer: str = "clubhouse-fleet-workers"
    bucket: str = "clubhouse_fleet_rooms"
    ack_wait: float = attrs.field(default=DEFAULT_ACK_WAIT, validator=_positive)
    """Seconds a worker may go without an in-progress ack before its rooms are redelivered."""
    replicas: int = attrs.field(default=1, validator=_positive)
    """Copies of the work stream and the bucket in a cluster (3 for three nodes)."""
    duplicate_window: float = attrs.field(default=600.0, validator=_positive)
    """Seconds during which the work stream drops an assignment of a room already sent."""
    events: StreamSettings = attrs.field(factory=StreamSettings)

    def work_subject(self, room: str) -> str:
        from ..bridge.jetstream import subject_token

        return f"{self.work_prefix}.{subject_token(room)}"

    async def ensure(self, js: JetStreamContext, *, label: str) -> KeyValue:
        """Create what is missing (streams, consumer, bucket); return the bucket."""
        nats = nats_module()
        api, errors = nats.js.api, nats.js.errors
        work = StreamSettings(
            name=self.work_stream,
            retention="workqueue",
            max_age=None,
            replicas=self.replicas,
            duplicate_window=self.duplicate_window,
        )
        try:
            await js.stream_info(work.name)
        except errors.NotFoundError:
            await js.add_stream(
                api.StreamConfig(
                    name=work.name,
                    subjects=[f"{self.work_prefix}.>"],
                    retention=api.RetentionPolicy.WORK_QUEUE,
                    num_replicas=self.replicas,
                    duplicate_window=self.duplicate_window,
                    storage=api.StorageType.FILE,
                )
            )
        except (TimeoutError, errors.Error) as exc:
            raise NatsError(f"{label}: JetStream does not answer ({exc!r})") from None
        try:
            await js.consumer_info(self.work_stream, self.consumer)
        except errors.NotFoundError:
            await js.add_consumer(
                self.work_stream,
                api.ConsumerConfig(
                    durable_name=self.consumer,
                    ack_policy=api.AckPolicy.EXPLICIT,
                    ack_wait=self.ack_wait,
                    max_deliver=-1,
                    max_ack_pending=-1,
                    filter_subject=f"{self.work_prefix}.>",
                ),
            )
        await ensure_stream(js, self.events, label=label)
        try:
            return await js.key_value(self.bucket)
        except errors.BucketNotFoundError:
            return await js.create_key_value(
                api.KeyValueConfig(bucket=self.bucket, history=1, replicas=self.replicas)
            )
