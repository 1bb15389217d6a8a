# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Where does a deformable layer look? Sampling points, and whether they grow with the digit
#
# The point of a deformable convolution is that its 3x3 sampling grid is not fixed: a small conv
# predicts a shift for every kernel point at every position, so the grid can stretch over a large object
# and shrink over a small one. DCNv2 adds a weight (modulation, in (0, 2)) for every sampled value.
# Does the scaled-MNIST classifier actually learn that? Two questions:
#
# 1. **Where does it sample?** The original notebook plotted the raw offsets at feature-map pixels, without
#    the kernel grid they shift, so it did not show where the layer reads. Here we take one unit of conv5's
#    output at the centre of the digit and follow its sampling through conv4 down to the input: conv5
#    reads conv4's output at 9 points and each of those is computed by conv4 from 9 points, so the unit
#    sees **81 points** of conv4's input, which we draw in input pixels over the digit.
# 2. **Does its receptive field grow with the digit?** We measure how far the 81 points spread, as the
#    test digits are zoomed from x0.5 to x1.5, averaged over the test digits, for DCNv2 and for the plain
#    CNN (whose grid is fixed by construction).
#
# The models are the seed-0, 32-channel plain and DCNv2 networks trained by `scaled_mnist.ipynb`
# (`results/mnist_seed0.pt`). `SMOKE_TEST=1` (what CI runs) or missing weights: a quickly trained pair
# instead, as the output says. `DATA_DIR` sets where MNIST lives (default `data`).

# %% cellView="form"
# @title Setup: use the repository's `dcn.py` and `mnist_lab.py`, or unpack the copies packed in this cell
# Packed by tests/notebook_pack.py; tests/test_notebooks.py checks they equal the repository's files.
PACKED = "eNq9fQ132zay9l/hZk9PyIRWLMfptsqq73UTp/W5+TqJu7372j4yLdE2a4lUSSq26+v/fueZGYAASdnO3r1Nm0gigQEwGAzmC4ObR7NpPlhePxoFj/4avNvbD95m0zSv0sP8r/R/8KpYXpfZ2XkdhNMo2NrcGgaz9Es6L5ZpuXl+nQZhfZ4GBRXJ8mQefM4Wy3m68fF6vyin5xuv09OiXCQn9OhVkX8p5qs6K/KNL1vBPLlOy6i3hW8DgKwYUvD61XsqPS3yusxOVnVRVtqxj2m5yKqKwAVZFZynZXpyHZyVSV6nszg4LVPq1WkwPU/KszQO6iJI8uuAOl1RheKkTrI8y8+ChEAvr1GyPicwVXFaXyZlSoVnaCSpqmKaJQQymBXT1SLN6wQjCE6zeVrJ2A8ffdZah48ibmmWEiaynIdh3gWXWX1erOqgTCsayhRQYjSR5dP5aoa+mBLzbJFpM4DAuKkAd1XRSNDfOFgUs+wUnykPb7k6mWfVeRzMskoQRQ8rPOS55IZoSM+KMqjS+RxAMuo/D7vpY4wyaGgJ3NaKLW768rxY+OMhbJ2uypxaTbnOrCDscUPU7m/ptMZD1Dgt5vPiEgOkWZxlGFc1CvbpTXJSfEl5QDL/eVFTf6UTmI1lM8X6qjpPqPcnaYM4apwwnThjKtGBqiZCyGgalkXJLbbHOgj2f94NPn94s//rzqfdYO9z8PHTh3/svd59TRO685keHD7i0fy6t//zh1/2Ayr2aef9/j+DD2+Cnff/DP5z7/3rONj9r4+fdj9/Dj58CvbefXy7t0vP9t6/evvL6733PwU/Ur33H2hJ7dHCIsj7H7hVBbW3S/XeoI13u59e/UxPdn7ce7u3/884eLO3/x5g3xDcneDjzqf9vVe/vN35FHz85dPHD593qQevCfL7vfdvPlFDu+923+8PqGF6Fuz+g34En3/eefuWW9v5hQbwCV3k1fbh4z8/7f30837w84e3r3fp+Y+71L+dH9/uSms0tFdvd/bexcHrnXc7P+3y2D4QoE9cTDu482nvM0b45tMHKgn8EFqAhPfSyPv3u6/29z68Z/T5qKZS+P3L590G8uvdnbcE7jOG4BYeHOaHj/Bfw0gCh5EExBpC5hARkVkZKNuJQRJFnvIqBYh8h9akBTB1AFQJuEwVZLTCsnxJqy+hBZgmZU6EdVomvE6ZjCqhXCpV1WkyM/R0ml2lxCougqvggthPNhsRT6kWQpD5lyA8Pi5OT6u0nuDn8XEULMt0Ruu/onLhjJbw7Coius5Oax4C8dbyOrhIqQNoNcu5R/z0MCfugC6azsh6zRgN1GiK9dVqm/jEap4Q2+xr/jLlZUcAws04EBwe5mkyPVe8zIIvyXxFa+XHoqZndVJyb/5Iy4LYC7FU8NnqPBhN58QpR8fNLGGStmbH4BLpFWFxfk2Fl3Piuoe5i38MgNFdCeNEfZo6Kn4Jlk4oxnwUl8SJGN3zoqp4RrFrCJfAJNMYqPp1sSppfAW4z0ua0iBP01kl4I6Pa5DG8TGwwl+/ZOAsx9zHYinzHDHs3Sse/QjfA/rzww8/BLQbEScJuGbz9LQEW8QzUyDPW29pezXv2uhpSvJuGIw7JcLht3HwfCtWgphU2R/p+Dnx+2SGLWM8jIOTLKnG++UqjRpwVwSKezWg/XCWhwQAgLa+w9+o1Wx4FQ2Iry5TeS71PlND4cGWNC71jpyKf7VTLz13phmzxBPtrTPsbbKtJ4tUCa9q4EmjRLhTmuA0NP2KCZ2D01Wuq3AwFaRcxdLsQOCYX8CEgxqqTYQ/Hw/TjRfadaDJHYTQ2KxgBqA0//+CkBYlrUkagXCEJS3xOUHm5YnFIQuaVnuxWsattUr0bFYpqrVwPVA2hPEA7/Niyt+rO2aA5vh7Mwf0F9NwmL9LLrBREtZpw8feSgudOuFwuZDHJuzk+dVz4QjEtAx3ytM64u6eZV9Snhod1gnRDOgZ81Nc5rI80URJcpC3JggEERpN0ef091XK+21Iv5R0iUypv8/9GaHXn9K3v4TyVUt+xyWHkUNgZUo0NCUGNOaOp2U9qYtJM7wQ3XeQS1gITR19fvB48/FRUwRLfEE4Le3a4CeDzz+9DpVDL5MyWUx4Wis0QIRVjjcHNAFaYF5OFqt5jWduZw+4ysHho3l5+OiI6YSf8DZkmh240LVfBwx8c7A53PT/bB2Zje8wZy4ymZyu6lWZTiaGmSQ5yURCPJgTfSof8+xkQOturpXr6yXmT4u8otkHCmmDp30gJnm/on/f07qc7a+WeP5BuWEc6INfcvrttKJc0P018FYqCc7BG9O6yx73SRwtypjZ5GE+mdDMggvTsMYkdw0HhAuMeTKhTvLDA8GUKwEo84R45r1C085TIZbJtF2alznhY2IXn/PyJKNXRPATYQbOm14ydN730BC/xUzme3n9MclAeozKA2IVilz5Sv8cUcEfd1795+7715+pXHj4KCF1h0AQbMF381W2LlI3CFM/73ye7H8g+fEfJJGRwDVu0cDgNMtnk2qZTsN2bbBtIqLgPclKBOnth18nJM2+MnBCmdjTeZHU2D7k54n+ZjYEYW/jT/iDdnbKM1bASKdLpxc0gSPlbqz8TAN6hR/MhklsyWbErkQxpE0SM5ayCqjsulzlECT+rO4TyQREG1kZskRFC4DW24hEKloLC1JFF6vFCFQQBRs/tAljZEgM/+1gV6qh5ZA8BZIilk4PaHviremHsQEXYw0mQQ1YtBnEwWX0Euou2HmQliVBIKEuLS+zimRk5TVoJ6vTRQUmiZrSXaIUaqWC6Et7Q2rGENbCHsB9oyigTZJa0ndSTyGe0iaShww4Cv4yDrbQf1AerfLQhRsLDrAt4bX/6qQo5iLnf+HNmcEpcvCnTGgowf71Mt3F8MLTw0c3QPNtsFhVtK/xhmmRJ4iBFH9ZKAbPqMkb7vhfylteXdp7Qqnp/d/tdLUb/gcqrmuZ5uVGK96ua6hMicPruGRxCdWwtP8lnVAnO9TD9EIvRravbbxJBUZrUfa8Yax+HRYD06WAaXQt2vgZYWz4dbh6GHzFFj93sMXMYXKSTC/SfBbqZ4Mq+mxQpW8FZXlguO89vTW1THehaBIZ3ZjqZn61XAsnpvZ43GbmlurbLP2u/jxWeOM2MFF9nGfEAM4zbMSVjpfIYE4q3svgcQO/8+fxitprtUHQiZLM/vTYnw8t68wIqQnFnMi3b05iEbFHKhe0pki5kjY0ckfzmEaRMIkIP4eWF7z65fVOLAoIiUrGCElsknQP3ipE3gefGhg59gNV+/iLrSSFYQlEBRJkSHqjXeQ0IaW/hDaat3pB6+lsnm7U52WawBg1L4plFYRVaoT5tKqrZycpidSLpLwYLK8jVk2piWReiYWMFVSQEWu71WqJ/ZsalY322YndgT+8f/9fJPKr/Kf64yz9kk1Tb66D8wSzbPY6sMzw3cfP0G4dvLZJ8i9jO6kuybXmFc+kC5AprSyd51eDrCIeNcHXiZQIG7oPO4KK2C5o9lFvupolzpMZiaypWZe+YOITq1kzTY/ME+kXgcaIpjR/kzSHyDYLo6g7vNby8Ujakv2fLfH8lBaLFEINxmTE1pGSTBqwgbwxSdNKnQUnooCzsilLwRHKdz7uMajlvKj/bOGnK3Wr1jWyOoFj4xgFKjHHYAfZrHlAFDeM1zIsVTXd0pswis+5SQ+ISFrctC9gnVQwWqSOyY8WpfDOpG1G7NoPLWMhcbVy6MwMNnxPOnzwJPiJ/l6c45/LOPh5Uqxoo/sVHxHMGRlbESDBecYqUlmrgafXHB/7uKB1kE7rasRr3rVTBLIyPGPFBZQF7kLwNPgthrMkx1v0LzxrOkhvLyK/nfNiTtvL7FqN9bRW06vaAphdDZrizrSa2bQ2AXduaLDoNIC5lqNQizJTvl5gQZCwD0YeWVx/4oXqohto/inuxzBMnaO1Vh7+DKbQJlKeesJUekZqaizmImdKHTsPdTMOfo8C7AKVj+Uwi4PfSKatm5rHx+GSOibImJwHG8AHfT7l6SCU8HcYh39vil1qMZ4sLYbvs6vo+NjB90dLt9TBimpScwe0Cn6m+sOj4CrAj1/5x/Exd5gNurRpGeWXdqNT3sxo9JiOk6KcpWXf7nFBegXRx1h1G2+qDx85P6G8DpWG4KeqmkqGJEgz529u0SUVXTZFLdUcPtKvKLyphWfwfzWFDWWhtPnuwqZNSRbIYJYtQtZLtgO7asQgd0AI+yYIt5q1EN0jHeqaY+HwPPnCLivaysyyVyuB2Afo942Cve0wAYPi3j/UEMuYoqO5PY46EvJkLeslDU4mkJoLZVbwTZCOb4LRKHKkua/l4y1dtuHn7RfrR2uZegdWwzxar9Yx9xF2w9FxdxDHzHsSNTFANsPCuBZbAxzKxjlrjA9YGIsgOUuy3LIh+DRZ5Pw8LbNl7YprEB7LBGIa0FLJsmPzGGmi3E/IkkwqxAflSWVEdhFOYeSQdhLPEkILF+orS5FRcFms5jMCLz4QHa+/ZQR1cpGKO0UZFfrEvRH4x8diWBeKOj5mXw/JrFNSGCp2uvSwgoeREq3Oh+0HAjS3mxIh41wWyCU+CI5L9cqNAF3Wk3IEFiONjMpi9PMtd+Hz+46IKZYMt4zBe5KfAR4caKHI3WNTjH/F0uSY/zXLsLisGmuawGBkPXkiPyIw8/No8CVLL/nFUP6PiLn7tRQDbsWKdw9TW2pqMcPopsW8pwOXrQ5cNiDwrr8Dlz0d4H3p0uvAUGdJOwC3qJ0FUjunFwr1pCySGcvmSvEhkBVzjyPQwmK8MTSI8QkAm7jH5riRp8FEOez1lWVyFy7/ar922JZjgOtyDk9uazFrjvXwtEIjCPHGCYhGHulKItYJ7Bnhvo7wFQX6gtHlAAiePdMtLOIebPkQowHiLEjihRN4yK+34+BFHDx38Nayi4ee2k4Sq+Gjnibfg8YfGxEDclW5LGi5Q0JhgCSPkMjhut1ZtrKSeMx8E9xXJBYj4GRrxW7tJ9D/inBPeI8cUcnpNko8wXzEayRD8GXBs6hZ67eSe8RS6seTSLQ4Nl5VHK5gMUDUw9xj0NH/A4TdGMc8VVF+FsMGMXXkUoJMKs53G8MhTRuJIoiEqSrq/pR9Riy7GzG3IArNcraUL8t0SvLM/LqHuYOaiGqIYqAysJ7jkB/LuWAxLXfmwXC0MVRX12VRXkzW8mNX61/Djp0iAvGvvOSVIIPLBF2Aa/iap+5gA3zo6KV4npN5dpbT/keTV1bjNwkACgauCHs1y/nh1hXxD2J6z0Q6VjRUtOul3tjy9FL5VXiwNdik8sQv5cv5kdkBmvFaqRchHuvgDAUOt4tlKNDk53qYHmOlHXS6WM1DbshZkoTnbBmCj9ZF6ICIZWiR5ReEMCDN8FUhTgL/ZuAgWlZ+BxRKcFRaOm6caJC2dWOf6Ctet9ZrtuZPz2z1GH0rdMKhimYgRKpPhCYdDubJQG3+1d4LRP5pfiO0YGT9ogfy+IhwA9dZ72D6zBZfY57oBbpIqov13QD/co2rQWPPW8eOX/dHRX3ZipuIDUcoziFZVqt5zeF095omHsKUJ1mufDkWhgbuzpM3+NeMJzamina1ntgM1yTyk9OEmfHwlYBDx2gJiqIWq6IbvaRByyOJG2rEeDARZnoOTKEahcjuF8yTU+AOa4j6qYzjrtcIIvMBgwMvKwewEAoLHWtRFWhsGBtZNIhOuyi/h+5WaQmrcQKEbDBXK/vI48ZP2UA5vBoyWUUdx3XsehDu2y+l037fmTp/VoEo/JkaBF2IFWVDLShPoJOAhUbyD4lB1uLy1PJ3d5uT1w+zTOiEPNA0ofP6YOOEdRN1/Sf9Lq5IXSlaXwvpgmTCrITpGWZnmJwwtzs0sZip6SEeLHeJO6EhDYMwE+2w8jtZyP+2x43wwmxmnfwyFdKaTohlTExUl7FsuarwGjVTrTljbgZk5kCSEr7ZZ9yxMTUSupS/Q+I/2NgaqUxlt3iQyYOsPGtRFhmZilSv1UIEYjBaywi7yguBwyL3IkWZ6are0RMZ54TEaTvU817VYoDgQhptmLeNZrHFcusxc8q7BQsXZ3e10KNrOsEARFtu5MzIZ7s0InzcBX7YaYFlM0XJwJXwZFJovBzaBgt0HoBrnpXJTAIX0Q04e3mvXuXK1Om3wTAh9DQtU1IRSOvAjJ2sTulBME+rqmmkmQ/z7YmO9NQ8oSH9vspoXBNunTi4DtR9yrK6qUDi6CR0uMdfg08whrBWTD0MeyklgqZFI9aFd0qjISk5HJreJ/UURw4WSU3gMREtj8GgTWBN95sZaWjJrlRR7HlW6Ktrv9A4acsLDKBh7MBBtWfP1gGOBunVkpYAxNONofmr8GWRq0lksQhbzfj9vaed2AzXg124Kyo2DM+jQDND4K0cuLiqjSo6IrqCHcN4UgPqJAdQWS3U01JpoTOQqk6uq0ZLFVsm2ydNW0uSnIpao0/Fm4LdBaHgRjlsAkp1x5D5tl1R0d+3gxAcbFQ8kkokGjHp0Yun/NxaqxQVbO7CIiysOtEJKvk3bqYQxx3e0WjA1hNxj5tBLBMmBGV747Vn4pAIFDEnq4/A2fQiLyBFnOzqhjcS+IRXYnhPXJDficTK7xvC8WtVnthT4ShqTfP37szUP10Mvo+Gt4BvvL2ZttF7cKbLuOOauVPiF0mT342DG7R7e69rZpZBoIFSdXLNigF1HhTmuGzcnjvzodQ4uVP+AEdmNvANcVDdC1uYiB6EipHI1jIw+tKEYHkjsFLLzZrW/AAnXXVmexQPMQ+aF54MGTMZymjv6ysD7Eya9jiOPLQ6LTSdOjdqwnmjJmBVHmweia7AKxO/1moMeEkqg24HBt5lC97QgzcUeJe98IYOPEKadPHvwRDEfWl+PIQHkKa/TPikGztxbkRhvBWyNUrKjX65Zf0R4f82mIkPMN5HziJQ6CZ9E65B2VPQ+Jrhw7DWzEhHgkaA0P3OWGqOnud3OWmjvpekqWz6Q0ScQcd1ekCCtRCmtzH+qx7fm/x2nc+XXtycC/0GN9zK7b/F4/u1agZzEuakXs0HDXjUYoq9rKPdoRvvgR9j2xKrHb7BYqbDN/K4g9O2PH3PELix9ozdPATwrcdvnJ7JYP7cALF9E+r15zXKJ/0C58RF2JwciTzb4q8IZkzuOBs4y2YSppSrdR+eY8hW/PQnz1aHDblhGo2vzKV7Y64lyXJ0h8Mttuc7ramw5eoRoGJDuxdkFLuGNHuW8iWGVYnC1rwXY3ZLe39wvxMTmrbGQxWucjB6PgGF/7y5as4UkkT9Dj2y81Vq5Nu6Q7JftiQydVYithUyP3XWzKs9/aPTaq15x8fXB1hQJAUfsZqfVAcFtr1qtZjcTGmMtypIHBRss784Up0T1S642pPg6kAM+stNqrmcXMC0yLNtCx2ZGDiJ7j0+NkXFRMtH6NMzmoBS/CV8Bq45och85vj46mAwGBw5Vl0nGCoUr4XRp+ByjAbBB+6GWMUdCpgWi1TPhV4W3ELV2NJ5sZJadeZFdrrnajWYwgE45k2kys4WRTYLNyMOXvSO38oZTFLDibhoKDpaPfG73gg/aTzMNCr7a2S919NildfVy+AEp389vt5Ywe8L9Ftj0Y5Vybd048CxXhIO5zHl+eBWCrOzWmmHGvHClmQ+8AMDagssW851AtpGct3s7uiJGPCZXfCiMLpxG8fESdLTZDWvA17fphdeZgxJeNFxapgt1yJddx5DMjjhc2lc+zQXmIZZWrG/2E6ZNw0N6Yz4wCuvVkmj0XcgPJY+21JD2l8L0VL7zf9itA9Cjomvahu0yawIJgOOhInidZ6CWEwHSS7h+HEngJWD3+uCw6d0ev2zDeG9nqcmNPQzdpS276ntemK6dH+Teq72iLUeCKnSfeGMR/wTWOK/TjSct0VoUvYVzAvqRNe0Aj7Z0F5BHGmVY77P0pkED1SrE57MFPGm6ZIVTRykAW14KQeUpVjHmRNZstZZRtPXpZUgbNcXg6c04HKpeXFG3YkiZa7t1aKauLEUtSNLzbmG02BCc5LVk0lYpfPT2OVZyh18xsWP+sLIiWc+f3AoueU/claTj6lolSPx4/Z7bC1DAafjB8I/cMIKbnRmDT3tPYnbvMACcNeygsGSXuvn7QOvcWriIpZAAnxv26DY/7UiOgijgUW7Y4XGDAycCWBXlns0zdtQoJ3an1bMt3DcaesAcl8Ckvu7C8rqFj4QIzWS2qRncTt9aOkmrU74Jnt7vrcHGhggFp4eeoxlq8RhOxIGwxYmYn/jFXBwW7fH6dN2U/I+B4fxnN7drjcaT8X1zu59Y8Yy6jarbyYYOpOgQQ2qWxRUZkNjA2wHjV2wdxwQDOUU4G3Ur2zeuD1Caf19G3Un32ESXxm9bkF8hbPY1vlqP7CxDjfHNq1JGUcau/NmTD56dio0YlPcCEnR6CFYf2wg+Ydn4/6js1Y686UxVpUV0F/K28fR2v6yN1lhsFDsoBg6Pxvov6rjYwtPzkJasTFs7cPGXM7vxzfy2dNb7lLj9zduflsGFD66s8pDQgVsNU8FAPN3lIJ2WSdcoD86wPW8Q5FuLwIx5XWemug9FpeNzqLxz25KmnZFs9eOnWlsEoG4WLmDn5n1MPaWTmw2tPUR120Wz2re2Ek44rHCPhPdhZNXB+HOZuxr5kglpPVtPBg+W8KaiWemKekZvHZdgeqOVns2kLHZ0bh98VatHx+plyanRVqnZRVGrnTWeYs6fXKFCHa2l4+x/jIYrbNK0+mpDqGJgV6yrmaUnraGLcKlFy7di5je3rubNmMPTLJNLHHf7PYwWwHQGwpg/tCgMdYBK5+TkPslo4weVpgFZIP1/1iWSLxYXzeTIMAa1HtRfo5TtIseqXkHaDTdAG6HHT6kCUBwKSa9qstkUqbLsoHbnPfmWSRyxo7fFjdhKe+Ijrd+YqybNhu6jRuu3jCiW5dqaBY9Jo29ZhPcuM3Jg6fcsYaL3bj1+JR/F6rd79dtYQ1Yy+1uvJq9YJWPENDhWni63G+cCr2wXC95HzDAYl4hpsseCD5zu7NTXlHtW9sl4DWAldXaDdd1smNlfdQl0OCp9MNkNLhxd0+dQxOcsLEBJnGZlLPg/8CObjXc9Go5z6YZ+BRTklV123kR5IibiUhuJw/qcFsToNCEi2oD0chKWs+sqAbbRL5anBCXfAlJr5jNGnmMTWgnRV0Xi2eSqfM0K6vmzIWyLsvcm4qrWgywvO5xEuqZRKewETZHUgZEANZIGGWOmjatDIKPbRGrPi+q1LHmBaslbK0552z8kppYoOZQA7UjSYLK1B4nsXaUQRtn69kCi6eKqxYBmrQtgm5hHvcAEvS04AgexsHBjB2n4jfFNjWD74O2qT+yZdgShdoMLzrq7FEMFuLdN5J2R36zy3SrZ78S+xiC/qnHoTMot14c2AcCOIruxIkt+uwZKltQ+Bl1VqkhXAdtnk1IJFwutXaxtLhZNy+ONqJV2lN6f6yLuD323RAXSKACFxYUKKGTya2nerbifIyO9jwOtvu7cFfQjxvwI9bIr43++coIoP+rKCAPMxrj+pxd/W0h4OtwxK5dp/a4K1Q0Z+RCxOhsPL/PDe+44h+O4LUMANuMZZYw4laa+po1KElZLQOiDXqOTNZBmhers/O+1dZxoARGlLmTm4mO4S82V0iWztArFlHY55ZcZZVhSN6sbY2OnJi3e3gVMP3zr11zBO0VKds/qarDCW24jItYmG9sDE7wd607ephVSbnGDYZzi+AEFhmD0AvqYfPFbdQbOGMCY+6lGKUaNbDrAG/kkxq8T4ZdJxpGGnJgOaOKUqQvTWCZf6Ao0Rbsu7KEeuLvPAPLShrcAfbUSY/HRM+/NPA5sbA4SdnralPECtn7aWONlsprg55ew5MEyQURBKxv3L+htzT2fsHX1WcctVCZe9zSyFUJb5duny2yIb7TpA4PHA2sV9vUd0eR743sAaIRpz0g8MYDAGRja/dPV/ihq1zTWGz4h13Q/Kt1YqDxZMaqmLO1qj4fVCTXmj76loi+vroljuTo97ArGpiWcNryiTlQ7vuc3AWh8vv6ddDWlZuz3vd4B7/aLdhvrvBkGff8Dv6schPrPvbEBuLez5tSV/btKq9+X6XpH2koLL+p3xyg7U6anlmQ7rQZyJXTnavY2VikeEd3cctLkKR/nueqCZheZ4+I15gRYtckfI8XZN0WhDE1yp+r+/WQGra1u/BZrBrbiQbBFHwGwpiZmlOnEii1jgqdYKoOKWqQiRdjBE5rQ4HMsR/nMJANNEFKMAmmsqfLPebbighZfzSzvQJik6xpRPz4fHSs68yH3j3Nhz+tcDD0+JhdCZIAQqSq2Z35mw44C/ZLz1/tN+Intnrp4AZH6JvoKffQvYmh8h0ocsUEh9v4TRwf955bcs5dR5pdyU+Nrqeq21mumParO/av+9nFekbQZh7/Hn4weQg/QFRVHIyG+OtuRe7RtTtOrvX4FXocCq117jRDBHvWc5xr0s1V0DnEpbGzOKSPSD7Ehp71xIO6oavNQRM86XAUN2hSoI97s5XIHIw5ttQcae+OInJIbdwQnWe/Olllc54gjkezueJF3vrf26/+g9cyWEAxczZdakvEpelc5YlRYx6Ct0FuW6iY+fUl9u5wQS8yUVgbS4bHxxJRQstXPQexIySKg4jZpWTUcLnTXl2ZEB8bOMedRjY1WKOmtHblbLRxQ8i1Fw4j5igKTlpZN5dYNE3obRYSC4hQpwEic2TsaKNMNQfT9WVRzjZMFtBq1ATwmCg7JxqH76yI3VxyuoURc+eA4LrUu42QcsHm5xP8PK5s0M1jCRV0zu5pn/geHVzp4wwlRKhh8UeqIZN6soufvNT0f5cmXtfx1qiPRdgu9wszGHkTgQT6HTfWd3JhhXd5gF+lfcXFUO4QQO6MzVbR1uUSbXobOAQLNw/fO6Gk0L1Cwr9GYo2mwZYgBma8Q3Zo99tTGBltQ5OzfhpbE7ew3tTkCu+cf0MyvGoKjgfYUroATLceM5DHoIt2RkwnIYHNz/MQk4rNoGlO9HRadzMpO2fcdUWF+gmzgp1Rr7y5ZIXYkrjWPGdpj57Cj7zdZ71y1D9AT2PSGvbkppFsXQ+i9W47ErHJLdbfhLi/veJ44vJZRxNlfdoXVluEIPeU9AjmA1zUdZcH05Bce0w95pieRvjoltOE+j3v75bHw7z++a96Fsc9PV3Xy74Wuy86nWcGKKUNj+6qHXqc4889R/LreUHLl6+Qqf7kOxF61/CII0xiTjiYlk32dmeOVvkF304D0bMOG4kiuOnEmIEjNJun/DbprB/d2gNICvGeVPjSpVtmUatc0u3SbqkdCG4qJHuchQosun15J/MjiA0IP+LQlTNKm377kXssOasmz6+eh85VEi1hi5GG0KGRdz66zdegFMAJ4SZ86791h0mEG5ATJDGyhuEKNDc7Ei6UQdTs0Z0JkqyuzveR4WqhBoK5ouZAgm/teI7kuoKHAfblTNx1I9Da+79/v8YnuUQotjkXVPRK5yxmNqfRTew1s9T1h5xC98KraN1hDMUr7P0Wt5wmflosaEtUhZFBidBaybWQQXKK1KIyWVWT/EARqzPDkqWeRGEHKgTe7BRSHgdvIhe9FgetzXGN4kk6Ly4D3pHSwdmgrfzisiNwqueynPj79uEjHKA5les1nGz0n9LqfVq/lBtKWITgZpMmhL0Fn9e5k7LfH5Uhl+Nj+yOU+FsRuZTmqSvLDOlRja6N0xNyTGPEN2LpzQGxSahetfyx53z7KEmguAeTdLKL1BF2BsGOzW9k0u3nmOWTYlWeF8Wsuc9OrulLxIFTtg6iIoPKCqnFK0UTEdnfrv5GyzldaDLXMxaqW9dznWRnZ8YXQaIT6b8S4b/9ffCU/mm1IoqOdXZhir7djmgMS9K8WdinRs4btcrQjnewxDJnX2NZ2vs129QfhGt5mrXC3ZXE+8an0xFrGUxqt7w+5c4zziYy4Gsh+XZGCJxW1e10ias7Mw3NJAelGY6HZL9VYX5xpt9LqJESM8Cywrnm/zVXLuKOCL5bR+TfswyXRaQz15KL9BnmSgk5pHGW1uK4qM4TJEMRGYFIX8DzMTS9Ay07Zc7A4E+TbM6nY7SDg6+9kO1vjU71/O4L2fyr26SVwWDQy2zvvMytR1d7LgoeXyNliuklTWMMw1qa7O1u66+Bs/e9bbn3vbW0PoFpboK672rA+1qEfcWkiHZuA5N+HPXestGKP2DajYPOWcw1coeQeo9WaPbhRivkon1qoVFMpQDLvT1aaUcRNI1nlWE0iRM8zbxNE4uepA7N6vZ5t/xDL3HBzB0quXTWHYPhTWsE91a0vBbuDZfvwbMF3qAatADuJjuVrF7BN7MAUgbZS6wV20qqBTgWojK/uyEYrbuwltJl5tV8k6Ct+W8eRW/XBc+yuXZO5ePHVEW00Ba7h4IbcKZTBgT2vt6dvOmfvHM7uF75X3NRn8nbZ7sxdr4TjlWa1rPfKtzppDERDtCz2URfhWW6KL6kk9kKJm+CoXlKH0ynsguMAz7b4pwhmujOhkZuHQkRF2Gzqf1g2aUJbs/EEzHkI4++tPYDbD4W4o3WuRVhjcQbK62ZQ4qMloZkeOt1cI6+tga3cAbXWqmLrmRuotlgg5d9eyRyPIc9duR4IPOW06XNQisJwqykTAlJTGO2idfuhYDVZaJZ+px+yjibzo669j1507Xw8TVrs+Z17vbfnwBca5/lrjFRtnpeBAM+F15BIguR2RyJMh9pRKAc/W/hO3oI9D6qtIvaNA2FcBkoNtx+LP1+3MmX1jXvrfNFZ/Nj0bu87gult2g8aPB71HNrsr998PbYZwyTYKNpuqyD0LKq2FkPnImOr0pcG1HElMBFIraYykaoLEjWNnGtUXDDZW4ZceyLwU+jlNurbm9u/7eE6G3LD6TCJcmfeT1R9oO88dkcveHJL+ltzdnXQ5n4dqSMdJ4X+hHLbn2T1D4VVSd1XSpbJUF4YllL6HQm0q7ErVb8XNDmXWO66LvNt2u4mJcjCVVs3+6rj3EAd7DJPIQNGrBI+aaCD/ZGYXvExB4BZt1VJHkCdXw8L+HEkYaedbwjUqI5h6Q9cdz1+537mWVVmrQR6obCactkliG8TFNfaOyRXGPHx/QXyVmKy0YkbZTJYCq1WPWRJJNYqmymRLp70tVOOE0L9OCZqwdzo8ZDRuQf/LZaLAOT4V/JmYBs1CsYPKE2Y2gZ9M7Sqr6bg2FQzZEbkq9VmcGyd3mOi90lfQcJDMksWeJiK1XLceX9qj4vjC53WqzEEdfW03Av4IdXH4jv16zDV42DjFB4goA+mNhY+50ldRKEe8AQaeLBP/ZeR+xTs85NzvGA5OwMo/KmeZ5dSOaHluFgVuBwqla+Q9s9Pj64wYlAIiW4ZwJOSMLGlRI/51B67y7QIaBbtce4jTh3X9NLez01iU7J/BJuPeo+GNtlYU7uho6qmy6W9bW9DKet+lhbd8Upq825K2NV8MzjIi+pz3GentYccXOfNttJZgOl9r7LxFv5sNbd873Zf9G3c883brE1d32beTiK/Au/9YJvyCHeKb2nbC5qZT54aRb108ZlqlokgsIfcH35zixZ/Kqn3aO1iqc/LNxGu/mgJF+2hnOP7aaK5X4JVzbXN9mM5VvaBpaCo4U12gyMFB09QArsUx+943sL/+zeon1wr++oXiO/qBuvOSSom7D1V7dkbhmAW4EFG9/5c+TtUa2F7QBrGgEeGFMqxTdIbDEBHx1fA3k91B7OcZg/ioNHi5z2PtrQTwbLayqpF7JiN+LLI2Yb797vfd7nawfLDAI27Sw26uRkXkwvoHqLhUvvpqTxpSdFcaEpcjKYI+cw4WHt73sFpkmJHEnESnAJFyITrkX3QCXsDpLSn1jLbJpTD4mbcGQwbYpsa5ZEM3NJMBa8KmgcLw9z4oF8KSv+ndjGpLreqMUg5LARh0NUEiQiF2pmrLzkujVx1oiixK0pZuGxhDeZnK5o8tPJxCRDZ9lQb5ynoepTJJYy2dIJg/bHZVJik6oUHO6lnWcnBtZH+qlvSAZkg6G8eM2OM0gscdBkZmuCvONAuCkcG/zK6Yqk6/F+wcTk3CBKu9sb0yzfratlTSh5zkIYs3vTf0QqT88n5mcY8akHs4Nky+vLbHbGIY7177PFAHlMglO+aMykAq5xteRJAu0PkoQm+zLgK74GlSaF1iKSXpzlpNhZViRdtYDN0OiBM24iHh0UfbOIbIclUZl3uzvvCYH7r3Fxx2D4fPNvMX0+3/xuiDHJUjDSxQbYeoX5rupsWvXlhDrMP7/aebv7GQymhPwSbg5e0FYAaehJkMXmAFiGinIB13AY8dZCBdH0t3HAAXbDwQvqHdqfvNlTiIePuCsbLPBVG9ns6vnG6uS61mQQ8pJWRDrnl0P7ssNvqfBw82ItILzrgXPUSOTww0wkiiFkiVpoS554MjWucBYBdInT25BIa/yCowJS67uPn2MJsQMiX338ZdDa7TQ6fjVL+O7fL0kmZqqeO3/dThDloI5r/zpTLUXzcou7gi1MC/EqSxadTspKr/iAyn5tRxZOfpk1XV2uPE8w0kNNmFWHZVHU6gzmGZa8QYJ0/wCpd4pbsCgU3FxAOBJtoeJwXFwN9B3+Rqog4ZYlxFsd4cbaEw6efR9jl6m/3baC3C+V6h3CNsUTcnz8d/Tzh2fc4LMyuXxGvNefdp5kKAIYnOoFoWTy4JvDYIfvu8+6c/GE6Qm1QssCjJORhHuedMSHj/g7FTBQcHRsIj0es2E2RO1nrBIjlTthGvu+0dOBCmf1RUaAcK0Y0C2q1J4C0dxl+rQacHXumE7cmP+NLQrGfHWX7VdkbuJm+8Uuf3BwuLFYgEvkhcVVLLsxEudnYucgxtEWAT+tcuxBavfPW5EKQh32/vjghnAy0NtJSGoSTwB7LNUZYLqOeG41gJA+9XEllnPS2EqliraLAIEWj+Pg8eC3IstDF7O3SHIJpzi1W8FVB2dzFQzO/pBb+LBvizjBr4Dw1zv7O5PXe594K+lJd0yNSQ2pLTcbN4Q56LfZ8LLU2eNZdKKuh5HcbRZGg1n2Jdx68WKwiesMtXQNPzBN+RSCSegs4xwbzpyE/FCW3fqzKtq+lgs2AuxMoGjam9zcn+/AE0iV7eb8bAQ5sxvh2kJUgsMVtpHsS8pucrZRxHqqgLQAaIaSPhOWyMYhbtYZyg/R4zKdr/C5SK6WxIO28J3Pgdz18rn7Eg+22w9eSDPO07N5cQLhBO7VM1zcXczx+HQ6CPaa8wwN/4oNpomCXqpzXMtsRja9yMNS0pH0Up+bjG245qDByMNStv1Ledi4VRP27hrc9UWfYs6FZXLcUNthbCqtiba19ba8elrpgXWff33d7NTFZU9eJaGOrvn3DvBe2h1zDqh7BMhr4sX/SRPrkkWZQX0lsjo9/lcm6nQqFd/yuRZTkeOpnfD+NIFaUyn9X/lHmWyUVTdJTMNxOMyXI0ZktLJxoN8mWl3WYMxrUrtBovbfwOF0mXbO013xyUZiJxPmJ7PwzQD8IWzIPryKothLOHBvna1uHe6yZD5vl36O0n7JF/0lt0MDJup0xy/5IjRgom6w6I14OwEHerz5brygL5znL/S5YBZPdcrDq8EiTXKcfx+HWwgCjGABWXeI8uruA5TuyVlLKVfRQdOwoxb8URSL1lanl1Ja0/yyLOpiWswbrnkyT5DfzF4xue5qw/9f4Fa+XvE1OSlEBsnKYErCZqk5jblpGEXzJtxumuRfYKdzLp9ZONuHk+262zWkOiUhpyKV1zzEnVkqNWvn2OSOwKYTDmSSsxIMKYBFWbKi0K8z1hAHTWtWi+R2vKSxxqjxGE2j2RTmgESDvSRm0IxBQkxZZSdhbA7znnRIL6JzenVWptdBuGlcCyAbli/zKquv+4TxxlCg4i7JtHkFVloZQX3P3gJM70lESe+tOaCNSCv7lon9N2YyklMYCkyiOlKc5ynsuyxZ5xUO7Y8xB7hZled8zP/CUEW4olcouskXrwIlqOq69YUiJYlCe8q7S6ER6vbfDKRjoZn5zB38uIOKwY97b/fe7+584hu3uWq0riMNNXS70DTcljCj+/uA9nc/7ztdMOpUN/Gi6ZGxFnfxI/khm87aEA+pqVkXDYOQiPmu767NM0T9bH6ny2J6bvIBVykyJvNXNTh46rRn7uADvpo6WES6b7cdVyF8gukGbaFnyWKRNA83B38D8GrasCllTOw65GJHdwneuHoZ92zBmh8Hn+t0+fZTWNGHJIUYaossuQbJ6gyWVp6igXEkyWqcFyT0I5czY8BhTkACfEHs+mfmdr46PeWDw8w6JKydcaVuQj9Bn8ZLWNOuDf/oW/Z3+SrCrvmc3S/z0tyTjBPWq3mn8ryc2FcDxZBtCLFSbWSNBWXq4ExzUg7gcjVQfzJPSM5eJPkqmU8w+hD/RDYKiLpaF6GmNNcTHJG5v6Gq2D5gAv5gDeDoHZgXQ7HXCSVGQh1j/CMrQJ6D/jlxlQYPOUtXbo534yZxS3sID5RdunZQY/vNkRFMPiniXn5GFyZydgZw5KzkaWgovx2MgSu1IRe2WMcB1ziKHPyYhaivnDetczWgUs5DUdK3CXbgYnktlMFBmtetCnaeOTOinFuCs6IuJjlpTixs97TBVjiWXdbCA9m03wrino4FRlanODf9JADqeWCu2Gwpsg1IqGNAey7SsArIZ4Ezfb6BT4oL5+tmEwAvTKbTVZlMr/vYIcvT69lhL9vr4XXDzU0JeGCG5fOrYrkxtH0I9M6g5mgExBoNiN1opCNzwJ7jyB0G0VlY6ZdkbrA3LUpih8xWm3XFROimHKq6dGsG3n3jkrQBT/NrKM7pSTRIyjNSCGDDmS5XcmCeZJtqRUSgtOBNHOGMc5EYsDLH0hFnJ0vzL1lZ5ODbYd90tLSn4uS3tB1u8g854SEneM+JqomyaRpN6lRzMTcsaoMei+iS9nTIT2ZPcH0fakvkQ7g39toG08PJRA+XTCacpnrKSgU8bq03y+v6nO8Bto0N5JEpFrbSlxMwHj2rI3UZuldHnPNB0qYXCBPKV4uJvgi5lB2U16Z+cTy513deTeweRyYkHLTumzhq2WydUXtG2D0GvNuKF1sm5ppVNmhggAOEbYnYJk6HUbv9Mxj4j5pkP3BnAAFSn6OjfNaq1Jgi7ZChOeKQNbvcqkVx4R6v4jNUeoTqAYT3aZVbWPY0u0vRo+Dzuw//uTvZJzlxPDQHgLL8Oni1Bx9s3Nhg8Y5tqxB6iqL2KJX7iTCNaqDQMejw8FEDXlxOm5CumgznzkOkeWIoXjoGfuQhiqhcHoLy8IUpO6mTySxjn3inD2YI0hiKUnstX9nhI12FBgp7G+zTZ9pk00tNiq/vCeCtM30rEl9KYqOhvjanIj2duJm/Why9zVw6sueRP6M35vgB21ZIRyR0QH7kZZSWG6wOsUSJjKksWRY4IsPPJdt7PeOladRkzhRXz6rbWy0JQdKbXFxTi3RdfpQjX5Kg4yO6h8OeCN8PciwRbaNj5lUxblDg45/2J4KP8manYnuDF+wo3RgQQWtIVhiigsYyk8qHX4wXxPbEJN1FZhcH+KfBAfYC+hopr8dXE5Moc3bdGuRFeh0j+Sk7gE0HsJdUnjdQU8OYRS8+uBD1TJJzecFT+u22K4bUiNeU+iSJzNiYQzrsKoctMp2JgARcosOAGAU/BEN1pDJQPrAfGhDmGlHXJM0jO6CxHMkuYQhG61gj0iZEQg6bjxxKoQ//MQiEg09Mj269BartNcvBrCyO2bt/STRZpU0KkXdJecGBhbUY58EdqGFWl4Tgl/OVY9nwKF4yzHHqWpSXEzHYiJlSfC5maaCzgpuOmosw02vOgCOHhrUmklpfj+fJ4mSWBBejILw4gI/1Qu+/5F0Phj0jQp7TfpiK1vnfOpL/pu8cqs3fxI0Gp9riNri8ubyl5xyPhVt3iSTRi0iLm1FAYWflRqBjyv7bwNzY2EBBJGfE7Jnqw8hRhDKVxgA/pX0b6kkaHlAnrm4q04HKX/2CbFp2uCWOfj95gol48gQL0ZXg0jnfGnPAecINXR4dPEbpx0cH2dFosHV6GxyuNjdPhoFXhMiwKaG9uDA4cFgFD9+s+1Mg9oaHc9uLWu5Rg0HDDFiZtrPr9sPS/5Hfg1t/O6fJQFSRNMJdiiSDNR4f5kymOkqwAKbYm8fP1G+6SJYhbwTcVhTdBtqoE5gxL+qJ1SySqzhoLazGvdW3yBy3la4yoyB8qZQSWeFE3kHJLgClAWtJ4YrRIsMpY2ccJ7SwYongQo9h25sVrYz/X7PKhK6wM3RJraFYuyci21edcDqS1so0TDvyN6hLLEsZ0X1HIHjALQ7PjR0Yhnp0MNrwOS8z994azFs7FQSf4yC5GmB+Q8PDAB+5pcqLtBwfPirY+gCiHjNrwOhvCQvo4Y20YFYUwecF841/kw41APvo5CStL1NiBG5DwQY6rt+fyneakaIco3sszPJP7AbJfHmejDcHWy9aFzTcKx2Yu4PX7+BxW3xgjc6Tfxx66Tnn0cZiS7qI5TzM/YMzYyN4yFhxJZgnVQPB7bJWwiuElo85AEci7yNAvrZFfSU8/IZf11k9TzGFPJjghj+aYFxqD9dehqYfz5vn8/QM7G1eTMfwz1ym4g5JSxtcJFEE+xmxb/9u12Q+53DFoMpyHI7WZFl8LFtCxavBPb7zXse3ZHfDfZhjhj+g3fZ0whdRwiPuA4PR0gXmmi3c4KkuHFCnberPz7aSlmnH9SlZBEWk/m7Y5HVs7gU0WW5fkFyXcd7/1q21f2bilrqQNIQTaTxcrvcLalJVybpY5DYoRTMdqJtQLmdFalWbnnHru6ut71pX3EoKf/Ha8ekX+C/OcOLAD0AZqCccfitJ2ERLx+ba1piWqpDcGMA5wlq2rhCPsgFncBXgeKd7l8CIlNrh9tVwW1uhPT/IqACMAX4ntzKeV/p4iuum1MXIP8EHcIUWBs4QlgYCg1bZZmsJAHqt4lIuVj9HzG6wfbXttyXAZ8DENpccvJA0cLT7c2IP9tnwUDMT3ATWekosRF1nyx4Tvi6dbbZtKVyXJXxW8vzI1Ln2Duj98/QhlIwOvbfOWtrzgxFce6NjmxpS6jr3esoDidr5Dr7daM2tyC+laPA9DSShgZwAK7z4HldeClF6wymok7rlwm+XS0zGbjMiuTgDh96pjedIOcrqHpzK9GE8JJoDxnQ58lK6zgtCEEs8CPQe2YY5tSTfoy0nuEzH+bl2N0gGDeG/mLiY+Z4RY4BB+fm+J2Nsh5X0EISBKiu7NSL3od8J88bmLEoqN5mCzVekwWlOOlwba9NS4zoZPTiF18vWnc567cjvq4zUUxyHc6KkQH2he8FUzGTIOK38wBInYVLroIocNemcVRGV+r4Ug3fZ+Vskb8z9hml2rf3o+6h9H0xgMjoxSv3V2rql3WxGTCGSKOb4GEARVkD0GwfNnS047AfWRcwFgXL2EEdqLu2oz0vcTyB06nFks8M1NKyNJVibDjtykvXipl+uO3DyKB8fRy+7MIxWgPOEFoSJVDD+54BmRE6M4Ol2k7DHZEXdZmzKznCZygIzTZmUy9pSN++yyYBfmW5vt7otWUDNaTgY0Fs5hI+PR4SLK/o7Jg7hLjxzUGn7sdlr2G2LucC+yTljl0vO5OPvD8SDlJe2duxjHMUUS0LjkwnOCvYPyyQ2QTAF8h1i8jWLVCmNcdTMemIHATV3mvctNt2XKnZMz0QEwAXqjp3Zy/zvnYe1s4yt7vh4CUrHVgUokxN7UfzkJFxGcrG7xoXACoebgzQg2HZM+qJxL4ZkQAOakIfzOMs18yZhEBaN7QcnztIMRGZ2qG+D4IPmwcyUTNngFfARNqwsZNu6xulKBKV8e6QM282k+dKQTtpck2Cb1auTNM7HzYdt8jQkS7lT8zw7rSEG6EmsWSbMTBCRaNWRupP47KJMCY+ddE9Ecptk1lZAcVCoOW1xbKppGifCNEfTfnMgWQbnbWfOtU6aOFSnRHX0BPeeU1eZdaNwloskATlKMSh3SJVssUqQ/0TOF7s7oJnQGZH6ffnYHLbrbiClLJyXAfyWK74DRBJJhlBJjFdUvZocdlFWtXuduuHhrcA0x3NqhCGCq+sX0XLHJg4tik2UGjdlr10fuEmnsC+4HDwysyL0pbwT5V7qbmEYpoqsWtzQ8fqzyyb/nb/R0PJX7tVIaea6CfNMc+0aiaGRWuwI21h77A/VizfTiENinzIDNgRRqkbNdrSt7eLKVF8mkZpchvqw9qXR572TqC7klpGok3TxL2aLDhTC/Rfp9eRmaokLgaSTrJrIfVlWWCd61JjBW/PADBjo7LGhQdyBG0lqjEyzba2zfVedba+OIUOqCYJTGwTfEPFiYPfQgxFfLTaKbXk+7WaJYtRhusih1pYGwLN0UyO+8kLawNe7wGs/c06BgVzrRKmSKX62PehNFm8eTsBf/WLc0BGMDguSGHALExE/EQbH1+LMDKAgr/uWppSH2dF2BYZ11mU06tlY5BcZ8JVIUno1BR6c43okGPLp48hLxWOthosszxarhZ5kIw2XfyG81vH9TBBtGnIjWHvyxR8o1lWP1BK6iIi1cec4zFZkhzb8jidy2AO4QbHJeX/B+Po+ctH4XPilBZjEwUms2LoLKEkDNGDCkfQu8rrX0Mr2mhHS3Fr6OULyOH94csvBpiUm6hJi9by9zFOZwKBAmh4Ymnbug8S6LpG1rjNW3z/Q0sKFBYzbppkGsw7hfS+EBz57VxJV7e9YPzsQWuy703bC6fmM9gdj8MRIHaGvI8a66dxnR3oHg/LuajonnNI3K8PoXuVsIx8ZeSxIkjzOwCGRhluxXGjyXrcZ0WCyUmR/3pR7tUCzmW1oT4VQN4ZKktEA2ze7QDeGUeMPHbphQKenxJ0z5A3TpOAtLKwb9b6bU4Q4nQVkLwczCPhuGHQ2XRlTe6SeML3wkKkW/SCZ/ZZgsIFv8LAnN1QKY8OFPgRz/t7mwTHahVzCiU0py/NUxEo5U/ZtcF6U2R9FXpPoxGIlPeLUm1N+4OlouD+9wvmP7+QrRkSlVBRQfcbufT3GRhZnzzJcFWoEWdi4fBsjNktjoOuLb2UgY0WGUIF+F8c5WMT3zKueN2dHEg52hF6O6uAk8v9wdEQU5T9jh45PTqc0y8TyQ8M6Z5L82gU2xEcbGMhzdB8w75Qx3ywmvZXTp/Y6Lp+mH93+D5t0mhA="
import base64, json, sys, zlib  # noqa: E401
from pathlib import Path

if Path("../dcn.py").exists() and Path("mnist_lab.py").exists():
    sys.path.insert(0, "..")  # running inside the repository: use its files
else:  # opened alone (e.g. Colab): write the packed copies next to the notebook
    for name, text in json.loads(zlib.decompress(base64.b64decode(PACKED))).items():
        Path(name).write_text(text)

# %%
import json

import matplotlib.pyplot as plt
import torch
from IPython.display import Image, Markdown, display
from matplotlib.animation import FuncAnimation, PillowWriter
from mnist_lab import tqdm  # tqdm.auto, quiet when ipywidgets is absent

import dcn
import mnist_lab as lab

run = lab.settings()
WIDTH, SEED = 32, 0
UNIT = (3, 3)  # the conv5 output unit we follow: the centre of the 7x7 map, on the (centred) digit
DIGITS = 100 if run["smoke"] else 10_000  # test digits the measures average over
device = lab.pick_device()
results_dir = run["results_dir"]
results_dir.mkdir(parents=True, exist_ok=True)
clock = lab.Timer()
print(f"dcn {dcn.__version__}, torch {torch.__version__}, device {device}, smoke test: {run['smoke']}")

# %% [markdown]
# ## The models
#
# The experiment notebook saves the weights of its seed-0 runs. We use its 32-channel pair: conv4 and
# conv5 are `DeformableConv2d` in the DCNv2 model and `nn.Conv2d` in the plain one, everything else is
# the same architecture. In smoke mode, or when the file is missing, we train a pair here with the same
# recipe for one epoch (on 2,000 images in smoke mode, on all 60,000 otherwise): its offsets have had
# little time to learn, so its pictures say little.

# %%
test_images, test_labels = lab.load_mnist(run["data_dir"], train=False)
test_images, test_labels = test_images[:DIGITS], test_labels[:DIGITS]
weights_file = results_dir / "mnist_seed0.pt"
models = {}
if not run["smoke"] and weights_file.exists():
    saved = torch.load(weights_file, map_location="cpu")
    for kind in ("dcnv2", "plain"):
        models[kind] = lab.MnistNet(WIDTH, deformable=kind == "dcnv2")
        models[kind].load_state_dict(saved[f"{kind}_w{WIDTH}"])
    source = f"{weights_file} (seed {SEED}, width {WIDTH}, trained by scaled_mnist.ipynb)"
else:
    train_images, train_labels = lab.load_mnist(run["data_dir"], train=True)
    quick = 2000 if run["smoke"] else len(train_images)
    reason = "smoke test" if run["smoke"] else f"{weights_file} not found"
    for kind in ("dcnv2", "plain"):
        torch.manual_seed(SEED)
        models[kind] = lab.MnistNet(WIDTH, deformable=kind == "dcnv2")
        lab.train(models[kind], train_images[:quick], train_labels[:quick], 1, SEED, device, desc=kind)
    source = f"quick training here ({reason}): 1 epoch on {quick} training images, seed {SEED}, width {WIDTH}"
print("weights:", source)
for kind, model in models.items():
    model.to(device).eval()
    acc = lab.accuracy(model, lab.zoom(test_images, 1.0), test_labels, device)
    print(f"{kind:>5}: {acc:.2f}% on the {len(test_labels)} test digits we use, at x1.0")

# %% [markdown]
# ## From offsets to sampling points
#
# `lab.sampling_points(model, images, unit)` follows one conv5 output unit down to the input, using only
# the layers' own geometry (`DeformableConv2d.deformation` and `dcn.bilinear_sample`):
#
# 1. conv5's `deformation` gives the 9 absolute locations `a` (kernel grid + learned offsets) at which the
#    unit reads conv4's output, and their masks `m5(a)`. They are fractional, on the 7x7 grid.
# 2. conv4's output at a fractional location is the bilinear blend of its 4 neighbouring units, so we read
#    conv4's own sampling locations and masks at `a` by bilinear interpolation of its `deformation` maps.
#    The regular part of a location map is affine in the position, so this is exact inside the 7x7 map.
#    Where `a` falls outside the map, conv5 reads zeros: the point is placed on the extended grid (with the
#    offsets of the nearest border unit) and its weight fades to zero within one cell, as conv5's reading does.
# 3. This gives 9 x 9 = **81 points** in conv4's input, each with the weight `m5(a) * m4(a, b)`, the
#    modulation along its path. Two 2x max-pools separate the 7x7 grid from the 28x28 input, so a 7x7
#    coordinate `p` is the input pixel `4 p + 1.5` (pixel centres at integers; a cell covers 4x4 pixels).
#
# The plain model goes through the same code: its convs wrapped by `DeformableConv2d.from_conv` have zero
# offsets and unit masks. Its 81 points (many coincide) must be the fixed grid `13.5 + 4 (a + b)`,
# a, b in {-1, 0, 1}^2: a mean distance of 5.813 px from the centre and adjacent points 4 px apart.
# `tests/test_sampling_points.py` checks these numbers, and that known constant offsets give the
# hand-computed points exactly.

# %%
# NBVAL_CHECK_OUTPUT
centre = lab.to_input_pixels(torch.tensor(UNIT, dtype=torch.float32))
plain_grid = lab.sampling_points(models["plain"], lab.zoom(test_images[:1], 1.0).to(device), UNIT)
print(f"unit {UNIT} of conv5 is centred on input pixel {centre.tolist()}")
print(f"plain: {len(plain_grid.points[0].unique(dim=0))} distinct points of 81, "
      f"weights {plain_grid.weights.unique().tolist()}, mean distance {lab.mean_distance(plain_grid.points, centre.to(device)).item():.3f} px, "
      f"effective dilation {lab.effective_dilation(plain_grid.points).item():.3f} px")

# %% [markdown]
# ## The sampling points on the digit
#
# Each row is one test digit, zoomed x0.5, x1.0 and x1.5, with the 81 points of the DCNv2 model's centre
# unit (colour and size: the product of the two masks along the path; grey squares: conv5's own 9 points;
# cross: the unit's centre). The last column is the plain model, whose grid is the same for every input.
# The thin frame is the 28x28 image: points outside it read the zero padding.

# %%
EXAMPLES = [int((test_labels == digit).nonzero()[0]) for digit in (0, 2, 4, 7)]
SHOWN = [0.5, 1.0, 1.5]


def points_for(kind, image, scales):
    """SamplingPoints of one image (1, 28, 28) at each scale, on the CPU."""
    batch = torch.cat([lab.zoom(image[None], s) for s in scales]).to(device)
    found = lab.sampling_points(models[kind], batch, UNIT)
    return lab.SamplingPoints(*(t.cpu() for t in found))


def view_limits(*founds):
    """Axis limits showing the 28x28 image and every point of the given SamplingPoints, with a margin."""
    points = torch.cat([f.points.flatten(0, 1) for f in founds])
    return min(-2.5, points.min().item() - 2), max(29.5, points.max().item() + 2)


def draw(ax, image, scale, found, i, norm, limits):
    """The digit zoomed by ``scale`` with the i-th image's 81 points of ``found``."""
    ax.imshow(lab.zoom(image[None], scale)[0, 0] * lab.STD + lab.MEAN, cmap="gray_r", vmin=0, vmax=2.5)
    ax.add_patch(plt.Rectangle((-0.5, -0.5), 28, 28, fill=False, lw=0.6, color="0.6"))
    ax.scatter(found.conv5_points[i, :, 1], found.conv5_points[i, :, 0], s=60, marker="s", facecolor="none",
               edgecolor="0.5", lw=0.8)
    w = found.weights[i]
    dots = ax.scatter(found.points[i, :, 1], found.points[i, :, 0], c=w, s=6 + 14 * w, cmap="viridis", norm=norm,
                      edgecolor="k", lw=0.3, zorder=3)
    ax.plot(float(centre[1]), float(centre[0]), "r+", ms=9, mew=1.5, zorder=4)
    ax.set(xlim=limits, ylim=limits[::-1], xticks=[], yticks=[])
    return dots


found = {i: points_for("dcnv2", test_images[i], SHOWN) for i in EXAMPLES}
plain_found = points_for("plain", test_images[EXAMPLES[0]], [1.0])
norm = plt.Normalize(0, max(float(f.weights.max()) for f in found.values()))
limits = view_limits(plain_found, *found.values())
fig, axes = plt.subplots(len(EXAMPLES), len(SHOWN) + 1, figsize=(2.3 * (len(SHOWN) + 1) + 1, 2.3 * len(EXAMPLES) + 0.4),
                         layout="constrained")
for row, i in enumerate(EXAMPLES):
    for col, s in enumerate(SHOWN):
        dots = draw(axes[row, col], test_images[i], s, found[i], col, norm, limits)
        axes[0, col].set_title(f"DCNv2, x{s}")
    draw(axes[row, -1], test_images[i], 1.0, plain_found, 0, norm, limits)
    axes[row, 0].set_ylabel(f"test #{i} (a {int(test_labels[i])})")
axes[0, -1].set_title("plain (fixed), x1.0")
fig.colorbar(dots, ax=axes, shrink=0.4, label="modulation along the path (mask5 x mask4)")
which = "smoke-test model" if run["smoke"] else "seed-0 models"
fig.suptitle(f"The 81 sampling points of conv5's centre unit, in input pixels ({which})")
fig.savefig(results_dir / "sampling_points.png", dpi=100)
plt.show()

# %% [markdown]
# ## Does the receptive field grow with the digit?
#
# Two sizes of the 81-point pattern, in input pixels, for each of the first test digits at each scale:
#
# * **mean distance**: the mean Euclidean distance of the 81 points from the unit's centre (13.5, 13.5);
#   for the plain grid, 5.813 px;
# * **effective dilation** (the DCN paper's measure): the mean distance between adjacent sampling points
#   of conv4, i.e. the horizontally and vertically neighbouring points of each of the 9 inner 3x3 grids
#   (108 pairs); for the plain grid, 4.0 px (one 7x7 cell).
#
# Both are unweighted: they describe where the layer samples, whatever weight it then gives each point.
# A receptive field that followed the digit would grow 3x from x0.5 to x1.5.

# %%
measures = {kind: {"mean_distance_px": torch.zeros(len(lab.SCALES), DIGITS),
                   "effective_dilation_px": torch.zeros(len(lab.SCALES), DIGITS)} for kind in models}
for kind in models:
    for j, scale in enumerate(tqdm(lab.SCALES, desc=kind)):
        start = 0
        for batch in test_images.split(1000):
            found = lab.sampling_points(models[kind], lab.zoom(batch, scale).to(device), UNIT)
            stop = start + len(batch)
            measures[kind]["mean_distance_px"][j, start:stop] = lab.mean_distance(found.points, centre.to(device)).cpu()
            measures[kind]["effective_dilation_px"][j, start:stop] = lab.effective_dilation(found.points).cpu()
            start = stop
rows = ["| scale | DCNv2 mean distance | plain | DCNv2 effective dilation | plain |", "|" + " --- |" * 5]
for j, scale in enumerate(lab.SCALES):
    cells = [f"{measures[k][m][j].mean():.2f} ± {measures[k][m][j].std():.2f}"
             for m in ("mean_distance_px", "effective_dilation_px") for k in ("dcnv2", "plain")]
    rows.append(f"| x{scale} | " + " | ".join(cells) + " |")
display(Markdown("\n".join(rows) + f"\n\npixels, mean ± std over {DIGITS} test digits"))

# %% [markdown]
# `results/offsets.json` keeps, per model and scale, the mean of each measure over the digits and its
# standard deviation.

# %%
offsets = {
    "scales": lab.SCALES,
    "models": {kind: {key: [round(v, 4) for v in values.mean(dim=1).tolist()] for key, values in m.items()}
               | {f"{key}_std": [round(v, 4) for v in values.std(dim=1).tolist()] for key, values in m.items()}
               for kind, m in measures.items()},
    "config": {"digits": DIGITS, "unit": list(UNIT), "unit_centre_px": centre.tolist(), "weights": source,
               "zoom": "black_bilinear", "points": "81 = conv5's 9 locations x conv4's 9 locations read there",
               "mean_distance_px": "mean distance of the 81 points from the unit's centre, input pixels",
               "effective_dilation_px": "mean distance between adjacent conv4 points within each of the 9 groups"},
    "environment": {**lab.environment(device), "wall_time_s": round(clock(), 1)},
}
(results_dir / "offsets.json").write_text(json.dumps(offsets, indent=1))
print(f"saved {results_dir / 'offsets.json'}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, key, label in zip(axes, ("mean_distance_px", "effective_dilation_px"),
                          ("mean distance from the unit's centre (px)", "effective dilation (px)")):
    for kind, colour in (("dcnv2", "C0"), ("plain", "C1")):
        mean, std = measures[kind][key].mean(dim=1), measures[kind][key].std(dim=1)
        ax.plot(lab.SCALES, mean, marker="o", color=colour, label=kind)
        ax.fill_between(lab.SCALES, mean - std, mean + std, color=colour, alpha=0.2)
    at_one = measures["dcnv2"][key][lab.SCALES.index(1.0)].mean()
    ax.plot(lab.SCALES, [at_one * s for s in lab.SCALES], "k--", lw=1, label="DCNv2 at x1.0, grown with the digit")
    ax.set(xlabel="test scale (x1.0 = as trained)", ylabel=label)
    ax.grid(alpha=0.3)
    ax.legend()
fig.suptitle(f"Size of the 81 sampling points vs digit scale: mean ± std over {DIGITS} test digits")
fig.tight_layout()
fig.savefig(results_dir / "receptive_field_vs_scale.png", dpi=120)
plt.show()

# %% [markdown]
# ## One digit, growing and shrinking
#
# The first example digit swept from x0.5 to x1.5 and back, with the DCNv2 unit's 81 points (left) and the
# plain grid (right). Saved as `results/sampling_points.gif`.

# %%
sweep = torch.linspace(0.5, 1.5, 21).tolist()
sweep = sweep + sweep[-2:0:-1]  # 0.5 -> 1.5 -> back, 40 frames
image = test_images[EXAMPLES[0]]
frames = {kind: points_for(kind, image, sweep) for kind in models}
norm = plt.Normalize(0, float(frames["dcnv2"].weights.max()))
limits = view_limits(*frames.values())
fig, axes = plt.subplots(1, 2, figsize=(5, 2.9))
fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.84, wspace=0.06)


def frame(f):
    for ax, kind in zip(axes, ("dcnv2", "plain")):
        ax.clear()
        draw(ax, image, sweep[f], frames[kind], f, norm, limits)
        ax.set_title(f"{'DCNv2' if kind == 'dcnv2' else 'plain'}, digit x{sweep[f]:.2f}", fontsize=10)
    return []


fig.suptitle("81 sampling points of conv5's centre unit (colour, size: modulation)", fontsize=9, y=0.995)
animation = FuncAnimation(fig, frame, frames=len(sweep))
gif = results_dir / "sampling_points.gif"
animation.save(gif, writer=PillowWriter(fps=5), dpi=80)
plt.close(fig)
print(f"saved {gif}: {len(sweep)} frames, {gif.stat().st_size / 1024:.0f} KB")
display(Image(filename=str(gif)))

# %% [markdown]
# ## Reading the result
#
# If the deformable layers adapted their sampling to the size of the digit, both measures would grow
# with the scale, up to 3x from x0.5 to x1.5 (the dashed lines); if they ignored it, they would stay flat
# like the plain model's. Anything in between is a partial adaptation. Two caveats: this follows one
# unit, at the centre of the digit, through the last two layers only (conv1-conv3 and the pools are
# fixed); and the measures ignore the modulation, which can also narrow the field by weighting distant
# points down (the figures show it as colour). The numbers:

# %%
def profile(kind, key):
    """Mean over the digits at each scale, as a list."""
    return measures[kind][key].mean(dim=1).tolist()


distance, dilation = profile("dcnv2", "mean_distance_px"), profile("dcnv2", "effective_dilation_px")
plain_distance = profile("plain", "mean_distance_px")[0]
peak = max(range(len(lab.SCALES)), key=lambda j: distance[j])
summary = (f"Averaged over {DIGITS} test digits, the 81 sampling points of DCNv2's centre conv5 unit lie "
           f"{distance[0]:.2f} px from its centre at x0.5, {distance[peak]:.2f} px at x{lab.SCALES[peak]} (the widest) "
           f"and {distance[-1]:.2f} px at x1.5 (the plain CNN's fixed grid: {plain_distance:.2f} px at every scale); "
           f"their effective dilation is {dilation[0]:.2f}, {dilation[peak]:.2f} and {dilation[-1]:.2f} px (plain: 4.00 px). "
           f"From x0.5 to x1.5 the digits grow 3x and the mean distance {distance[-1] / distance[0]:.2f}x.")
display(Markdown(summary))

# %% [markdown]
# **What the full run shows** (seed-0, 32-channel model, 10,000 digits): the learned grid is much wider than the
# plain one at every scale (10-14 px from the centre against 5.8 px), so DCNv2 does use its offsets to look
# further. But it does **not** grow with the digit: it is widest for digits at the training scale (x1.0) and
# narrower for both smaller and larger ones, only 1.2x wider at x1.5 than at x0.5 where the digit is 3x larger.
# The peak sits exactly at x1.0, the only scale at which the test image is not resampled, which suggests the
# offsets respond to the look of the strokes (sharp vs interpolated) as much as to the digit's size. The
# accuracy gains of the experiment notebook therefore do not come from a receptive field that scales with
# the object; a wider, content-dependent one is what this model learned.

# %%
print(f"total wall time: {clock() / 60:.1f} min on {device} ({torch.get_num_threads()} threads)")
