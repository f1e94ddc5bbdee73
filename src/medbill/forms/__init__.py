"""Claim forms as PDF: the CMS-1500 (02/12) for professional claims and the UB-04 for institutional ones.

>>> from medbill.forms import render_cms1500, render_ub04   # each returns PDF bytes
"""

from medbill.forms.cms1500 import render_cms1500
from medbill.forms.ub04 import render_ub04

__all__ = ["render_cms1500", "render_ub04"]
