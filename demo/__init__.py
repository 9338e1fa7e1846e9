from . import village_demo
