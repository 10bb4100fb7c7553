"""Helpers for browser tests."""

from __future__ import annotations


def sign_in(page, username: str, password: str | None = None) -> None:
    """Sign in through the form as a person would."""
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or f"demo-{username.replace('_', '-')}")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/projects")
