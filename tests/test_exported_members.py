import inspect

import guanzhi_rules


def test_all_is_exactly_the_public_surface() -> None:
    """Every public name in the package namespace is in __all__, and __all__ names nothing else.

    Public submodules (``exceptions``, ``strategies``, ``pytest_plugin``) are attributes of the package once
    imported, but they are modules, not members.
    """
    public = {n for n in dir(guanzhi_rules) if not n.startswith("_") and not inspect.ismodule(getattr(guanzhi_rules, n))}
    public.add("__version__")
    assert set(guanzhi_rules.__all__) == public


def test_all_is_sorted() -> None:
    """__all__ is kept sorted so additions are easy to review."""
    assert list(guanzhi_rules.__all__) == sorted(guanzhi_rules.__all__)


def test_exported_members_come_from_the_package() -> None:
    """Re-exported classes and functions live in guanzhi_rules modules, not third-party ones."""
    for name in guanzhi_rules.__all__:
        member = getattr(guanzhi_rules, name)
        module = getattr(member, "__module__", "guanzhi_rules")
        assert module.startswith("guanzhi_rules"), name
