"""Self-labels through the sandbox: a post another app labelled comes back with its labels
(hydrated into the view as the AppView does) and its media are blurred."""

from __future__ import annotations

from typing import Any

from atproto import Client, models

from paris_desk.channels import bluesky
from paris_desk.core.labels import LabelAction, label_verdict
from tests.photos import png


def test_a_self_labelled_image_comes_back_blurred(bluesky_sandbox: Any) -> None:
    city = bluesky_sandbox.accounts[0]
    phone = Client(base_url=bluesky_sandbox.base_url)  # the city's phone app
    phone.login(city["handle"], city["password"])
    blob = phone.upload_blob(png(40, 30, (200, 30, 30))).blob
    record = models.AppBskyFeedPost.Record(
        text="Accident rue de Rivoli (photo)", created_at=phone.get_current_time_iso(),
        labels=models.ComAtprotoLabelDefs.SelfLabels(
            values=[models.ComAtprotoLabelDefs.SelfLabel(val="graphic-media")]),
        embed=models.AppBskyEmbedImages.Main(images=[
            models.AppBskyEmbedImages.Image(alt="Voiture", image=blob)]))
    made = phone.app.bsky.feed.post.create(phone.me.did, record)

    account, secret = bluesky.login(city["handle"], city["password"],
                                    service=bluesky_sandbox.base_url)
    channel = bluesky.restore(account, secret, lambda s: None)
    post = next(p for p in channel.home_timeline(limit=100).items if p.uri == made.uri)
    assert len(post.media) == 1
    assert post.labels == ("graphic-media",)
    verdict = label_verdict(post)
    assert verdict is not None
    assert (verdict.action, verdict.reason) == (LabelAction.BLUR_MEDIA, "graphic-media")
