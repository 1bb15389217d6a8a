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
PACKED = "eNq9fQ132zay9l/hZk9PyIRWLCfptsqq73UTp/W5+Tqxu7372j4yLdE2a4lUSSq26+v/fueZGYAASdnO3r3Nbi2JBAbAYDCYLwxuHs2m+WB5/WgUPPpr8H53P3iXTdO8Sg/zv9L/g9fF8rrMzs7rIJxGwdbm1jCYpV/SebFMy83z6zQI6/M0KKhIlifzYC9bLOfpxqfr/aKcnm+8SU+LcpGc0KPXRf6lmK/qrMg3vmwF8+Q6LaPeFr4NALJiSMGb1x+o9LTI6zI7WdVFWWnHPqXlIqsqAhdkVXCelunJdXBWJnmdzuLgtEypV6fB9Dwpz9I4qIsgya8D6nRFFYqTOsnyLD8LEgK9vEbJ+pzAVMVpfZmUKRWeoZGkqopplhDIYFZMV4s0rxOMIDjN5mklYz98tKe1Dh9F3NIsJUxkOQ/DvAsus/q8WNVBmVY0lCmgxGgiy6fz1Qx9MSXm2SLTZgCBcVMB7qqikaC/cbAoZtkpPlMe3nJ1Ms+q8ziYZZUgih5WeMhzyQ3RkJ4VZVCl8zmAZNR/HnbTxxhl0NASuK0VW9z05Xmx8MdD2DpdlTm1mnKdWUHY44ao3d/SaY2HqHFazOfFJQZIszjLMK5qFOzTm+Sk+JLygGT+86Km/konMBvLZor1VXWeUO9P0gZx1DhhOnHGVKIDVU2EkNE0LIuSW2yPdRDs/7wT7H18u//r9uedYHcv+PT54z923+y8oQnd3qMHh494NL/u7v/88Zf9gIp93v6w/8/g49tg+8M/g//c/fAmDnb+69Pnnb294OPnYPf9p3e7O/Rs98Prd7+82f3wU/Aj1fvwkZbULi0sgrz/kVtVULs7VO8t2ni/8/n1z/Rk+8fdd7v7/4yDt7v7HwD2LcHdDj5tf97fff3Lu+3PwadfPn/6uLdDPXhDkD/sfnj7mRraeb/zYX9ADdOzYOcf9CPY+3n73TtubfsXGsBndJFX28dP//y8+9PP+8HPH9+92aHnP+5Q/7Z/fLcjrdHQXr/b3n0fB2+232//tMNj+0iAPnMx7eD25909jPDt549UEvghtAAJH6SRDx92Xu/vfvzA6PNRTaXw+5e9nQbym53tdwRuD0NwCw8O88NH+F/DSAKHkQTEGkLmEBGRWRko24lBEkWe8ioFiHyb1qQFMHUAVAm4TBVktMKyfEmrL6EFmCZlToR1Wia8TpmMKqFcKlXVaTIz9HSaXaXEKi6Cq+CC2E82GxFPqRZCkPmXIDw+Lk5Pq7Se4OfxcRQsy3RG67+icuGMlvDsKiK6zk5rHgLx1vI6uEipA2g1y7lH/PQwJ+6ALprOyHrNGA3UaIr11Wqb+MRqnhDb7Gv+MuVlRwDCzTgQHB7maTI9V7zMgi/JfEVr5ceipmd1UnJv/kjLgtgLsVTw2eo8GE3nxClHx80sYZK2ZsfgEukVYXF+TYWXc+K6h7mLfwyA0V0J40R9mjoqfgmWTijGfBSXxIkY3fOiqnhGsWsIl8Ak0xio+nWxKml8BbjPK5rSIE/TWSXgjo9rkMbxMbDCX79k4CzH3MdiKfMcMeydKx79CN8D+vfDDz8EtBsRJwm4ZvP0tARbxDNTIM9bb2l7Ne/a6GlK8m4YjDslwuG3cfB8K1aCmFTZH+n4OfH7ZIYtYzyMg5Msqcb75SqNGnBXBIp7NaD9cJaHBACAtr7Df1Gr2fAqGhBfXabyXOrtUUPhwZY0LvWOnIp/tVMvPXemGbPEE+2tM+xtsq0ni1QJr2rgSaNEuFOa4DQ0/YoJnYPTVa6rcDAVpFzF0uxA4JhfwISDGqpNhD8fD9ONl9p1oMkdhNDYrGAGoDT//4KQFiWtSRqBcIQlLfE5QeblicUhC5pWe7Faxq21SvRsVimqtXA9UDaE8QDv82LK36s7ZoDm+HszB/QfpuEwf59cYKMkrNOGj72VFjp1wuFyIY9N2Mnzq+fCEYhpGe6Up3XE3T3LvqQ8NTqsE6IZ0DPmp7jMZXmiiZLkIG9NEAgiNJqivfT3Vcr7bUi/lHSJTKm/z/0Zodef03e/hPJVS37HJYeRQ2BlSjQ0JQY05o6nZT2pi0kzvBDdd5BLWAhNHX1+8Hjz8VFTBEt8QTgt7drgJ4O9n96EyqGXSZksJjytFRogwirHmwOaAC0wLyeL1bzGM7ezB1zl4PDRvDx8dMR0wk94GzLNDlzo2q8DBr452Bxu+v+2jszGd5gzF5lMTlf1qkwnE8NMkpxkIiEezIk+lY95djKgdTfXyvX1EvOnRV7T7AOFtMHTPhCTvF/R3w+0Lmf7qyWef1RuGAf64JecfjutKBd0fw28lUqCc/DWtO6yx30SR4syZjZ5mE8mNLPgwjSsMcldwwHhAmOeTKiT/PBAMOVKAMo8IZ55r9C081SIZTJtl+ZlTviY2MXnvDzJ6BUR/ESYgfOmlwyd9z00xG8xk/luXn9KMpAeo/KAWIUiV77SnyMq+OP26//c+fBmj8qFh48SUncIBMEWfDdfZesidYMw9fP23mT/I8mP/yCJjASucYsGBqdZPptUy3QatmuDbRMRBR9IViJI7z7+OiFp9rWBE8rEns6LpMb2IT9P9DezIQh7G3/CP7SzXZ6xAkY6XTq9oAkcKXdj5Wca0Cv8YDZMYks2I3YliiFtkpixlFVAZdflKocg8Wd1n0gmINrIypAlKloAtN5GJFLRWliQKrpYLUaggijY+KFNGCNDYvjfNnalGloOyVMgKWLp9IC2J96afhgbcDHWYBLUgEWbQRxcRq+g7oKdB2lZEgQS6tLyMqtIRlZeg3ayOl1UYJKoKd0lSqFWKoi+tDekZgxhLewB3DeKAtokqSV9J/UU4iltInnIgKPgL+NgC/0H5dEqD124seAA2xJe+69OimIucv4X3pwZnCIH/8qEhhLsXy/THQwvPD18dAM03waLVUX7Gm+YFnmCGEjxl4Vi8IyavOGO/6W85dWlvSeUmt7/3U5Xu+F/oOK6lmlebrTi7bqGypQ4vI5LFpdQDUv7X9IJdbJDPUwv9GJk+9rGm1RgtBZlzxvG6tdhMTBdCphG16KNnxHGhl+Hq4fBV2zxcwdbzBwmJ8n0Is1noX42qKLPBlX6VlCWB4b73tNbU8t0F4omkdGNqW7mV8u1cGJqj8dtZm6pvs3S7+rPY4U3bgMT1cd5RgzgPMNGXOl4iQzmpOK9Ch438Dv/Hq+ovVYbBJ0oyexPj/350LLOjJCaUMyJfPvmJBYRe6RyQWuKlCtpQyN3NI9pFAmTiPBzaHnB61/ebMeigJCoZIyQxCZJ9+CtQuR98KmBkWM/UrVPv9hKUhiWQFQgQYakN9pFThNS+ktoo3mrF7SezubpRn1epgmMUfOiWFZBWKVGmE+runp2kpJIvUjKi8HyOmLVlJpI5pVYyFhBBRmxtlutlti/qVHZaJ+d2B3444cP/0Uiv8p/qj/O0i/ZNPXmOjhPMMtmrwPLDN9/2oN26+C1TZJ/GdtJdUmuNa94Jl2ATGll6Ty/GmQV8agJvk6kRNjQfdgRVMR2QbOPetPVLHGezEhkTc269AUTn1jNmml6ZJ5Ivwg0RjSl+ZukOUS2WRhF3eG1lo9H0pbs/2yJ56e0WKQQajAmI7aOlGTSgA3kjUmaVuosOBEFnJVNWQqOUL79aZdBLedF/WcLP12pW7WukdUJHBvHKFCJOQY7yGbNA6K4YbyWYamq6ZbehFF8zk16QETS4qZ9AeukgtEidUx+tCiFdyZtM2LXfmgZC4mrlUNnZrDhB9LhgyfBT/TfxTn+XMbBz5NiRRvdr/iIYM7I2IoACc4zVpHKWg08veb42McFrYN0WlcjXvOunSKQleEZKy6gLHAXgqfBbzGcJTneon/hWdNBensR+e2cF3PaXmbXaqyntZpe1RbA7GrQFHem1cymtQm4c0ODRacBzLUchVqUmfL1AguChH0w8sji+jMvVBfdQPNPcT+GYeocrbXy8GcwhTaR8tQTptIzUlNjMRc5U+rYeaibcfB7FGAXqHwsh1kc/EYybd3UPD4Ol9QxQcbkPNgAPujzKU8HoYS/wzj8e1PsUovxZGkxfJ9dRcfHDr4/WbqlDlZUk5o7oFXwM9UfHgVXAX78yj+Oj7nDbNClTcsov7QbnfJmRqPHdJwU5Swt+3aPC9IriD7Gqtt4U334yPkJ5XWoNAQ/VdVUMiRBmjl/c4suqeiyKWqp5vCRfkXhTS08g/+rKWwoC6XNdxc2bUqyQAazbBGyXvIisKtGDHIHhLBvgnCrWQvRPdKhrjkWDs+TL+yyoq3MLHu1Eoh9gH7fKNjbDhMwKO79Rw2xjCk6mtvjqCMhT9ayXtLgZAKpuVBmBd8E6fgmGI0iR5r7Wj7e0mUbft5+sX60lql3YDXMo/VqHXMfYTccHXcHccy8J1ETA2QzLIxrsTXAoWycs8b4gIWxCJKzJMstG4JPk0XOvWmZLWtXXIPwWCYQ04CWSpYdm8dIE+V+QpZkUiE+KE8qI7KLcAojh7STeJYQWrhQX1mKjILLYjWfEXjxgeh4/S0jqJOLVNwpyqjQJ+6NwD8+FsO6UNTxMft6SGadksJQsdOlhxU8jJRodT5sPxCgud2UCBnnskAu8UFwXKpXbgTosp6UI7AYaWRUFqOfb7kLn993REyxZLhlDN6T/Azw4EALRe4em2L8K5Ymx/zXLMPismqsaQKDkfXkifyIwMzPo8GXLL3kF0P5f0TM3a+lGHArVrx7mNpSU4sZRjct5j0duGx14LIBgXf9Hbjs6QDvS5deB4Y6S9oBuEXtLJDaOb1QqCdlkcxYNleKD4GsmHscgRYW442hQYxPANjEPTbHjTwNJsphr68sk7tw+Vf7tcO2HANcl3N4cluLWXOsh6cVGkGIN05ANPJIVxKxTmDPCPd1hK8o0BeMLgdA8OyZbmER92DLhxgNEGdBEi+cwEN+/SIOXsbBcwdvLbt46KntJLEaPupp8j1o/LERMSBXlcuCljskFAZI8giJHK7bnWUrK4nHzDfBfUViMQJOtlbs1n4C/a8J94T3yBGVnG6jxBPMR7xGMgRfFjyLmrV+K7lHLKV+PIlEi2PjVcXhChYDRD3MPQYd/T9A2I1xzFMV5WcxbBBTRy4lyKTifLcxHNK0kSiCSJiqou5P2WfEsrsRcwui0CxnS/myTKckz8yve5g7qImohigGKgPrOQ75sZwLFtNyZx4MRxtDdXVdFuXFZC0/drX+NezYKSIQ/8pLXgkyuEzQBbiGr3nqDjbAh45eiec5mWdnOe1/NHllNX6bAKBg4IqwV7OcH25dEf8gpvdMpGNFQ0W7XuqNLU8vlV+FB1uDTSpP/FK+nB+ZHaAZr5V6EeKxDs5Q4HC7WIYCTX6uh+kxVtpBp4vVPOSGnCVJeM6WIfhoXYQOiFiGFll+QQgD0gxfFeIk8G8HDqJl5XdAoQRHpaXjxokGaVs39om+4nVrvWZr/vXMVo/Rt0InHKpoBkKk+kRo0uFgngzU5l/tvUDkn+Y3QgtG1i96II+PCDdwnfUOps9s8TXmiV6gi6S6WN8N8C/XuBo09rx17PhNf1TUl624idhwhOIckmW1mtccTnevaeIhTHmS5cqXY2Fo4O48eYN/zXhiY6poV+uJzXBNIj85TZgZD18LOHSMlqAoarEqutErGrQ8krihRowHE2Gm58AUqlGI7H7BPDkF7rCGqJ/KOO56jSAyHzA48LJyAAuhsNCxFlWBxoaxkUWD6LSL8nvobpWWsBonQMgGc7Wyjzxu/JQNlCdJPUV06CKpiTFFHfd17PoR7ts1pev+CJhGf1axKPyZmgV1iC1lQ+0oT6CZgJFG8oeEIWt3eWq5vLvZyeuH2Sd0Wh5ooNDZfbCJwjqLul6UfkdXpA4Vra+FdFkyeVbC+gzLM6xOWNwd+ljMNPUQP5a70J0AkYZNmIl2GPqdjOR/2+NGhGFms06KmQppTSfEOCYmtsvYt1yFeI2yqTadMTcDMnMgSQnf+DPuWJoaOV3K3yH3H2xsjVSyshs9yORBtp61KIuMZEUK2GohYjHYrWWHXRWGwGGpe/GizHpV++iJj3MC47Qd6nmvgjFAiCGNNszbprPYYrn1mPnl3eKFi7O7WujROJ2QAKItN35m5DNfGhE+7gI/7LTAEpqiZODKeerWD61P66wkHmf9WYzVJL8Oa7dHYpqnHvy+yqgbXEcs7Bzxq+3IKjGLKvJ8Y4ixP03LlLSLkdktWD7nODuZeAGzAWsOqUWrUyofzNOq8szkoEzZBEKzeM3MO6jkTrOsb3BAFSYhr+IY61cwpzhJ51T1bufjCEMw9rdKDHAam4rjKwiLpvEDX5+u63Piy2/VV/Zv6T3NuKC22/PKJRdt4b3id/aemxoky+X8un+WuiCVQbgrJjYMzaMws8DBOzk8cVUbhXMUrHJYK4y/NDhZLDhMyuqani5KxMVAqjq5rhpdVCyWbIU0bS1JPipqjTEVnwl2DwR8GxWwCRvVHUHMk7YrKuD71g6Cg42IR+LiHy+e8nNrk1JUsFELi6ywSoMbaJMa7jMRPIdtNUDkMoP7u+1Fd8qRqJQIczVvuLxT0qvo+B8CjAlUywdnPKPRVDcKd7M62DQKuAT727eGUIZx0LBU7kLTByiNtH5orkFPG0Pzn6+NtQDmzqA6EL2ubQyPXPx7a6xBumE8s39pHvZb7kQiRprnh2xsdh2z+e6OmfrkOCJh62WjH3HDsHcLjAJZeYqJUxpaneYhgqOrokdsBm23fKI9MmuzkVp09U4I5q8pYUSJI/Cq9tPhkT/NarJdLMK1K8VlTJZJ6hTzEZEOmzPmZVro2J8GhgNH3iQeH69jwMJjI9LGxM4TEMpnG5dlBqQym7lMypkE1iRz3vYRzpNeEqOT3apqtFTtBDFExL3bynrSB3GCdttwgCH0p7UPAkoGlfmVHFHBrJbpqkp1YwE4GdBjc+zIVLHbq+MM56E+tkX06A1tZ3KGsarTJclyZ+nGacK6uZx+cgmjuz+zjCaHN8LPO9tv3u/Ewd4yTWfRINjDGQ1nh+QzG6r4D4JdnKv5QvWAZYQ+5KS+CYsBlvkgxRe4zLiX1OnlOS2AZS0zdHxM5EQdn/ALPrhCkzdNcoTSzbJTljdqOXJpvGsuscuv/6gQ9DIlPfi8sGFQp0AZZiyc1ldxI8NaRtJrPekaex7EXVjQM7TMpxQeLBE0AKifA6sNaMy49xKYnNCoJoYY1wkEtitRR7dqLx1b1Bcj1iL2P1pL1AQUkdg1TSfOlCEe3k5F02HMBcurhRPo52DxvhEBuYqKmfETNbUbrcvisnmZM1qlabsdNttRU9AYpm1heUDCi7tUXzUCySK5Fvc+n02DPR6xoPSDK/CSphXLULzOEviGVfNP1Rb4u92jP9j1q+I/RschnROGzcL8wdbRyFd01NXYsHISdVR0WrcZtNDTcH3rfbe83lqasQeYejE3OiBmlFdLnN1iC7LYmmWHkw4Al9VqsRDXhbwykqffoI+Jpnlr3n3iChHRgKCGm9H92KKZJ47a+2rYRqQeUGNDzZq9rsFtVxz3huIScoM/baGNuGZC1JxtVCEd7BoF0Rl7WzFlSf1ho266LDQZtvr/xG7pjHQosGm6hJfWOX94/zSsa7W9MGy7vTzVL+Ooih0G6AKPmwHGLqXFakKXhdeKJv832s+wjzjmgsb1ZUOQ7okvEmnBxJ6/2Hjj+TYl9FziSDQ4yLFzRV4kukTXavytMb1PWEYN7zkQ4HcisYb7DTHy1LqRcoiS46Fpmr/XGEf9M+zDC85iq883vhrh0XEfzpSZdGKy7lbRWFzhd+PgBu3e3huTNctgw4Q35eSaPQLUeSidTqyWx7sahKiCOrnT5IglxbrHN6RbqPmrhYnoQagYqQ7DA6MvzdkLbwR2b71Z05p/skEVcd/+xINmXVyGjJkMZbT39ZUBdiZNexxHHlqdFppOnRvPwHnjGcCqxFawYVcmfq11EuDl02Co8q2Bd9mCN/TgDQXeZS+8oQOPkCZd/HswBHFfmh8P4QGjoFomnOKCo7duxFN0K2Rr/BI3+uWWHUc492tPMXDmkvvIWfivqq834RqUPQWNrxk+POrNjHSM5jgZcH8UJjVHz/O7ojOjvpfjcbDpDxE6VSdm8mBrdCSE6dnK/tVQz5v8dl2wJ724ORf6DW64ldt/S6jn13oWmJMwJ/VqPmjAoxZT7GUd7Q7deA/8w3V9AouMlk3oDt/I4w5O2yb0e4bAjbVn7OYhgG89fuP0TAbz554M2TdnPP68RsV+4xy1Dpsj47615lc2ttyRFGSWiSOCD7GwKBGKbMVPf/Kc9NiQG6bRBMm5dG+0StIxRndE2sU2sYuNEWjFeAlQsRPcCzKKXQ+6TaLyCsOqcFYgd95LFEvLYffgfifmTMqa0LRwlYPRs/bf2No6yUTyfMDmNztfpR55WZcd58uWWM5mJQ61wQ1AnTXzao/967RaO9rx8fUBFhRJwUfs2UuqgwLbHikNk5spjfFWBYmDgoN1Lo7UMoJqF1ztSXB1IJE8y02quZxcIKaAZ9sWOjKHX+RY3/GxKSqxGZw7Kz2jCSglUIqTXzSpSZjPHB9fHQwGgyMnnMM5BRFKuJJxsSDWMBoEH7kbEg7jUMC0WKSaEOay4BaqJoiGFyvpu2fekS43oY5GUTsAx7yJVNnZoshmpOLyqSUv747Y79LfV0RcbFnj0Wqqn/XRN5MmtJRGZX+NbNjqtFix8fIEaX88vt6Ev9x3wmdNKEus5m9LNw4cGx7F5jdTnjM2pIg30cCMoYa6c/AIn/RHzEQLLIfM6AS0o2OMYW99TyRyh9kFLwrjLmvjmDhJykbXgNe36YWXEk8y3XWimcyWa5GuO48hGRztvzQxvTQXmIZZWnGgqJ0ybxoa0hlxphterZI/ry8TVCx9tqWGtL8WoqX2x/1InE4Q8mHYqrYGamZFsOVwCHwUrwsRisWbmORyDjfunFzjU691wecmdHr9Q83hvSFnjStmDztKO+isHXPGdOn+JvVcXZRrg46kSveFMx4JScIS/3Wi5/hahCZlX8O8oNGz6mXwyYb2CuJIqxzzfQYPGKdQWp3wZKYV219Y0cQJetCGl2tMWYqNmHNCytdGydH0dWklCNv1xUIkDbhcal6cUXeiSJlre7WoJm6cx1GvcZ8tLzQnWT2ZhFU6P41dnqXcwWdc/Kjv/CjxzOcPPkNq+Y8kaeHz6VrlSAI4+0M1XU+BPBD+gdQKiJ9l1tDT3pO4zQssAHctKxgs6bUBnn3g9YCKGLYkghjf2zYoDnlbER2E0cCi3bGiYQYGzgSwUdTNSeFtKNBO7U8r5ls47rR1ALkvAcn93QVldQsfiJEaSW3SJDydPrR0k1Yn/Cgdm9inBxoYIBaeZjuJZaukVSMP9ReLhmELL3HQwprNGGT9p/fFMPX+C9tY81fKv7elu0fUwluL1j3t2ssX8o1BXI+d+I7sIaGkCLmN+hXSG3duUFp/30ZdAnEYyVcebbUgviKG1Nb56vBQY0FucrpYszPynXQRbMxCmlghNKJV3AhS0YOw/thA8jPrxP15dawE50tsrE4roL+Ut4+jtf3lIFOFwYKzg2LYBTiu56s6PrbwJFGKFS3D1l5tTOr8fnwjnz295S414cAm+teWaQV99VR5SASxreapCdggHMWhXdaJIu4PGnYDcqFstxeBmPs6T83RHhapjV6jhyPdfJXtimY/HjvT2GQJdLFyB2cy62HsLZ3YbHrrj2O2twFWBcdONkKPjfWZ8S6cpJs4C2nGvmaOVIpa38aD4bO1rJl4doP5nmJu1xW67mjV2xak8bHZ9bh98WitHx+poCbhXYoAyzByJbjOW9Tpkz1E+LO95IiYDIbtrNJc26pnqMv0FetzRjFqa+EigHphcb2I6e29u7Ez9sAk28QS981uD7MVAL0RwjY+IR9grANWUCch90sDcR9WmIVoG7shsW31dTMJ6rG2qO+EsKiLtIseqXkHaDTdAG5H1TykCUBwKSa9qstkUqbLsoHbJIPiWSRyxo7fFklhTe+Il7d+1tybNhu6jRuu3jCiW5dqaBY9Jo29ZhPcuM3Jg6fcsYaL3bj1OAVYF6rd79dtYQ1Yy+1uvJq9YJWPENDhWni63G+cCr2w3ODaPmCAxbxCzJs9EHzmdmenvKLat7bbwGsAK6u1G67rZMcS+6hLoMFT6YdJd3bj7p46hyameWPDBJsF/we2dqsF27NeEyUlZyn3Jon0A18N3WKz4KzekHGQGmy1OCGWN2qkMUzypiOp4UqFZC4mCd8N+BipnmtEKvIZ2Rafba8Ylty0jXawkqBdFtQ9EKRX/QDEITNjp6P1tm4xD5/BeUA8/I9sGbbkhDY3iKJ+jmUFOWdW0qvlPJtmtTcpfansZI5MXGE732tnykxoSXPCTxtA5s48KGazZoLqosb5+GQm0aW8JZbF5TOJc4Hlti4Wz+RehdOsrJoT8rqX2N3WgkTMGk84M2IXGizn0r40a/MCNY0Mgk9tkbc+L6rUscAGqyXs4zkn2P+SmrDm5gQ6NSMZXcvUnv23tq9BG1v/CslgCOPgwCWWb/4FWjnqbPY4fUPA+5QQMTziGDX1z0wxqJ7KkwwdB/p186iHBg1FoAc93MCTuFS65yprSbLFybsJQ7XFbpzmA2OBxC2074YAQfoWuLAwQQGfTG49tbsVB2X00+dx8KK/C3cFRbkBUWKt/droqK+MkPq/ipLyMKPxmc85FKItAH0djtj17dQedwWqJnlIiBimjef3hSk4oQoPR/DaVYst1vIlGLkrvROItUe5y0cGRBvVHFf8BGlerM7O+3aIjoPJqLj9C8pVAqRBeskiGPsdk6usMnzCm5mt0ZET93cPCwE2f/61a27RrRVa9NxhUjZkyEUezFM2Din4u9Z9oNVMOcMNhnOLAA0WiYPQC2xi88xt1Bs8ZKSCe6lCKUOdDDrAG/mkBu+T0deJvpGGXVjup6Ii6YMc3vnATbmtuHR3ZY1GuDMBECuhcInYI/c9XiM9/N/A51tVxFHMnmd7P4aQtn9nhtHCmf7p6TW8aRDm5BQm6VP3b5Ati0S/YO9KP47aqww8blkc1MjQLt1OrGBjn6dJHR44GmavNq3v3FB01kS6QDTqtgcE3ngAgGzswv6hcj98l2saixT/sAuaf7UOSjfe3FgND2yNq88HFUmIpo++paWvr26JI8l7NezKAqYlpJp5YrJp+X43d0GYwzBr10HbFtAkurrHQ/rVrtF+c4wnr7hpC/BvlZtjcGNPNKBd4nlT6sq+XeXV76s0/SNFoATRe1O/yR7UnTQNdJfutBnIldOdq7izeXS0ALe8BIr6aQyumqDxdfaWeI2ZJHZN3vf4a9ZtQRLzbpRbV7ftITVsa3fhs1g1tiENBCo4vt/soE3KHQkWW0eFTkBZhxQ10MaLs+Kj7iYcymQ7cHIg2GAb5EOWgDKbWstjvq2omPV5adorIDaZakc4JTU61nXmQ+8mMcG/VkgcenzMrhI51SSS0+zO5LUHfAXQK89n7zfiZ/V95eAG+cOaCDI345iJI/MdRHK/Hocc+U0cH/ema3CSTkWaWta/F0pTSrVT/DLtV3fsX/ezi/WMoM08/j38wE26cUfOjR7Xh+vzWCuFPtwl6y1yp4M4ktSTwmLSzdLWSVyhwcNIT4ZQRgTHnvUExPYfy/EPOCo7caNGBfq4N0+jTMCYg2vNaa/uKCKHzsYNxXnGuZNVNmdK5oA8e0uWCFv/e+Pcf/BC7hw/pbZEVprOVZgYNaYWuFLknrmKOV/flUYdFuiFZgpf02O0ElJDa1fdIrEjIYr3i3ml5BJ0WdNuXZkYJxs5yJ1GHmmYdqa0cCUrlPGxyIV/DhfmMBJO11831/c5xynlHj8JhkSs1wChSTJ2tFGmmn32+rIoZxvm/oNq1EQwmTBDJxyJb+uL3Szaun8RZ+eIaHsiGsnmbGZye9bQRB09llhJJy2K9olvEIWNyxlKiFjL4o9UY0Y12wU/eaWJzy9NwLLjilIHkvBc7hdmMPImAleHdXx038lVfd61aX6V9uV+Q7k9DVkDN1tFW9fqtelt4BAsfFh8456SQvfyPP8CvTVqBpt6GJhxfdmh3W8wYWS0LUnO+mmMSdzCeluSK7lz5kG520KTDz7AWNIFYLr1mIE8Bl207wJwUrHZzKQPsZnYuwPMkaZO6+4dMk5eL11RoX7CpmBn1CtvrpcktiR+Q88T3KOk8CNv31qvGfUP0FOXtIbNCmLEWtc9al33jjhssir3NyG+fa84nrh81lFDWZn2JdUWIcgNjT1S+QCZVu5yzxqSa4+pxxbT0wifXXOaUKfu/d3yeJjXP/9Vz+K4p6fretnXYvdFp/PMAKW04dFdnUPPs/y5B2l+PS9o+fLlmdWffBtc7xoecfhMzKnWkabG3FvlzNEqv+B7OSGm1mEjUQQ3PTF3h4+azVN+m4t8Ht3aE1gK8Z5LwKRLt8yiVrlcNEK7pXYguKmQZmsWKrDo9tWdzI8gNiD8kEtXzijtxUOP3FRBWTV5fvU8dC7RawlbjDTERY28HDZtvgaNAF4GN9V1/32jTCLcgByhiZEvGZc/u3lhcZUmwoaP7kwNaxV1vokZl6o2EMzlnAcSfWzHcyQXtT0MsC9n4pZPgdbe//2bBT+nmtatSfDGolc6ZzGzydBlgs+Zpa4/5RW6V/1G606jKF5h0Le45QuypsWCtkTVFhmUCK1VIE7N5BSXKshkVU1SJEWszgxLlnoUh72REHizU0h5ORtacUWiFAetzXGBvKTx4B0pHZwN2povrnkFp3ouy4m/vzh8hBNEp3KxoHMP1+e0+pDWr8T7ziIEN5s0Mfwt+LzOncvK/FEZcjk+tj9CiTUWkUtpnrqyzHAxhFG0cXxEzqmM+C5gvTMtNldJVX4n8PTN6w8kgS6RN2+Bu4abpTAItoPh1VBkHr1oLMcsnxSr8rwoZs1N3nJBeSIemrLlikXWyBUuVaoUTURkf7v6G9IZLfQaizMWqlsXE59kZ2fGEUGiE+m/csThxffBU/rTakUUHevNwhR9+yKiMSxJZ2dhnxo5b9QqQzveyRrLnH2NRTlfcdpZWUG4lqdZE9xd1xfd+HQ6Yi2DSe2W16fc9syJxgbBa6bvLGeB06q6nS5xdWemoZlIIifleJqzSX/xHSeXUCPFAc+ywrnefGIum8fteHyrqMi/ZxmuyUtnrhkXKQXNZXpySuUsrcVrUZ0nSJ0jMgKRvoDnc3h6+7N41gX8aZLN+XiQdnDwtVdR/63RqZ7ffRW1f2m1tDIYDHqZ7Z3XWPfoas9FweMLdE0xvZ52jGFYM5O913r9Bdj2pust96brltYnMM0duPddin5fi7CvmMtxnHuQpR9HvfcLtgIMmHbjoHMYdY3cIaTeoxWafbjRCrlon1poFFMpwHJvj1baUQRN41llGE3iRIZLYh25UuEkdWhWt8+75R96ias171DJpbPuGAxvWiO4t44CaOHeswA9eLbAG1SDFsDdZKeS1Sv4ZhZAyiC7iLViW0m1AMdCVOZ3N8aidQvwUrrMvJrvULc1/82j6O264Fk2105aAvyYqogW2mL3UHADznTKgMDe17uTN/2Td24H1yv/a64oN7nKbTfGznfCsUrTevhdhTudNCbCAXqmyZbSKizTRfElncxW8H8RDL2h4cF0KrvAOOCDO84hqonubGjk1pEQs6oSv9vBsksT3J4JGGLIRx59ae0H2HwsxButcyvCGok3VlozpzQZLQ3J8Nbr4Bx9bQ1u4QyutVIXXcncRJjBBi/79kjkeI4e7MjxQOYt52uehVYShFlJmdKCs0bCJl67V6FXl4lmJnf6KeNsOjvq2vfkTdfCxxdMz5rXudt/fwKolyRhrPwkdwiiQy8GfDC+gkQW4k4nXA7wSPjBTHIftPAdPQR6H1XaRW2ahkK4DBQbbj+Wfj/u5EvrmvfW+aKz+bHoXV73nROwaDxo8ItZv3v74O2xzxgmkUZTJOUMLauKnfXASWr5kvi14URMCVwkYoupbITKgmRtE9caBTdc5pYRx74Y/DRKuW6ZIN//LSF62/IDqXCZIHOlHtec4MasbI7e8OSX9Lbme6dCmfh2mIx0nhf6EctufZPUPvJVJ3VdKlslQXhiWUvodCbSrsStVvyEvOZdY7pQpYMPtajq0WO4mJcjiUW0IffzcrJg5ZAf4wTyYJN5CBs0YJHyTQUwVyyyP0iyt+dn7Blo1l1FkidQx8fzEk4caehZxzsiJZpDVtoTx1cPx46vAMqqNHkz1A1VORl0K8fvoxd4c56CRXKW4ppFyZtlbm1wkupy0hY2CLCZEhlzSVc74Tw10INnrh7MjRoPGRLY/rZaLANzt5mSMwHZqFcweEJtxtAy6J2lVX03B8OgmiNvJ18oOYNl75LmPtX8JSQwJLNkiSt9VS3/soU0pOc2C+ppsRJHXFtPw43oH19/JL5fsw5fuSmDMQJk4AkK1n5nSZ0E4S4wRJp48I/dNxH71Kxzk5Nc4FoqhlF50zzPLiT1RctwMCtw8lYr36HtHh8f3OC4I5ES3DMBZ2Rh40qJn3MovXcX6BDQrdpj3Eb0sgDQLr0sDA2T6JTML+HWo+5XkudZj6uEjqqbLpb1tb0GtK36WFt3xZf1mENlTc5jxzwu8pL6HOfpac3hNvdps51sPlBqe3RXT/9sJQTzOUPOYWvleHOwOWyzAno4dOAczNNcTtYfNPNwJFuh3KWU5drYEeQQ7wjiUzYXtVI/vDKL+mnjMlUtElHfjjprJ6q5bB5PBtuzZPFr6OVd7VE8/WEFP4yDzQdlObM1jMz+A9/VxWK5X8KVzfVNNmP5lraBpeBoYY02AyNFRw+QAvvUR+9s4sI/mLhon0rsO4fYyC/qxmtOQOombP3VLZlbBuBWYMHGd/4ceXtUa2E7wJpGgAfGlErxDRJbTMBHx9dAXg+1h3Mc5o/i4NEip72PNvSTwfKaSj5qTlXxtXmzjfcfdvf2+cL1MoOATTuLjTo5mRfTC6jeYuE6kfAnGl96UhQXmiMogzlyDhMe1v6+V2CalEgSRawE1w/zVQ+ie6ASdge5zIxYy2yaUw+Jm3BYMG2KbGuWTDtzybAWvC5oHK8Oc+KBtKFUz/B3YhuT6nqXMIOQkzscDlFJkAj3Hw3b/EYkfSBtRlHivkiz8FjCm0xOVzT56WRiLoBi2TDRm1UOc32KzFrmhijCoP1xmZTYpCoFR7v1+Tw7MbA+0U99QzIgGwzlxRt2nEFiiYMmNV0T4a0HsJwOSJYi7xcMSybBOQ46VcFb0xhem7ZsqngWvZjJm14jOHl6PjE/9RYas29ky+vLbHbGUY3177MFp1UPTvliZXMpSp1e4YYU6HyQHzTHmQFfZQi4o6mgFYgcHGc5qXOWAUlXLWAzNHrgjJtIRgdF3yz62sFIVOb9zvaHONjbf4OLCgfD55t/i+nz+eZ3Q4xJFoCRKTbAzDl7fFVn06ovFdZhvvd6+93OHthKCakl3By8pA0AMtCTIOMbh7GKM1SUC4eHw4g3FCqIpr+NYYfF/ZgvqXdof/J2VyEePuKubLCYV21ks6vnG6uT61rzW8hLWgfpnF8O7csOl6XCw82LtYDwrgfOUSOHw/sykdiFkOVooS154knSr395sy1i5xIH0iGH1vgF9wRk1fef9mIJrAMiX3/6ZdDa4zQgfjVLcEgp+ZJkYpyKRv2XrGkniHJQx7V6naluojnKxUnBdqWF+JIleVAnU6dXfEBlv7YjCyetzpquLlee/xdZsSbMoMOyKGp1AfMMS7okQbp/+tI7mC5YFApuLlwfiY5QcQQu8rF/h/8iVYtwqyyirGj/kOlHMewt9bcvrPj2S6XahjBL8X8cH/8d/fzhGTf4rEwun+HGEm/aeZIh/mNwqg2EkpyEb0qG9b3n4pfuFXumJ9QKLQuwS0YS7rXVER8+4u9UwEA553smMjH8wRwbovYzVoRxBRBhGru90c6BCmf1RUZscG0X0Ciq1B780JRt+rQacHXumE7cmP/GFgVjvqrY9svcnSVWix3+4HhwY6cAl8gLi6tY9mBco5OJdYMYR1vw+7zKsfOotT9vxScIdSi904hvCCcDvYeRZCWx/7OfUl0ApusI4VazB2lRn1ZiLyc9rVSqaDsGEF7xOA4eD34rsjx0MXuL3J5whVO7FRx0cDFXweDsD7l1HLu1CBH8Cgh/s72/PXmz+5m3kp4sz9SY1JDauA26ChrCHPRbanhZ6uzxLDqB1sNI7nIOo8Es+xJuvXw52MT17Vq6hveXpnwKcSR0lnGODWdOon0oy2798RRzVlyX50aAnQkUTXuTm/L0PXgCKbDdVKeN+GZ2I1zTjkpws8Iikn1J2TnOlolYDxKQ7A99UC+NK103uFlnKD9Ej8t0vsLnIrlaEg/awnc++nHXy+fuSzx40X7wUppxnp7NixMIJ3CqnqUB4OHx6XQQ7DZHGBr+FRtMEwW9Upe4ltmMbMaUh2XiI+mlPjeJ6nDhW4ORh2Wq+5fSz3Gr5kSLa2bXF33qOBeWyXEDbIexqbQmxtbW2/LqaaUH1n3+9XWzUxeXPamihDq6Rt87wHuZhMzRn+6pH6+Jl/8nTazLf2UG9ZXI6vT4X5mo06lUfMdHWUxFjqJ2gvrTBMpMpfR/5Z9esrFV3bw3DceR64CgrsloZeNAv02MuqzBmNekdoNE7b+Bw+ky7Ryhu+LDjMROJsxPZuHbAfhD2JB9eBVFzXXuD6qz1a3DXZaE7+3Sz1HaL/myv+SL0ICJOt3xS74MDZiebAg34uMEHGjv5rvxfb50nr/U54JZPNUpD68GizTJcax9HG4h9C+C3WPducmru89MuodlLaVcRQdNw45a8EdRLFpbXSzWBGuQX5ZFXUyLecM1T+YJUrbpeav1V7n//wK3kPeKr8lJITJIVgZTEjZLTeXMTcMUmjdBdtMk/wLrnHMN58LZPpwk392uIcMrCTkVqbzmIS6JValZO8eGdoQznXD4kpyQYEgB7MiSWIR+nbGGOGhas1okt+PlyjWmjMdoGs2mMAIkGuIlkYJmDBJYyio7CWNzGPWkQ3rlttOrszK9DsJN41AA2bB8mVdZfd0njDeGAhV3+XYnsNLKCOq7kE+XhcSCkYiS3ltzQBuRVvYtE/tvzWQkpzAUmNx7pDjPU1h1WbLOK5zTH2MONo+U3Mb8F+YpwhW9QlH6Q6+BElR1nflCkZKfoT3l3aXQCHX7bwfSsdDMfOYOftxBxeDH3Xe7H3a2P8NrKVWjdR1pqKHbhabhtoQZ3d8HtL+zt+90wahT3VySpkfGRtzFj6S8bDprAzukpiaSNAxC4uS7Hrs2zxD1s/mdLovpuUmDXKVIFM1f1eDgqdOeuYPP9GrGZBHpvn3hOAjhCUw3aAs9SxaLpHm4OfgbgFfThk0pY2KHIRc7ukvwLtNphhuHYcOPg706Xb77HOIeS8kDMdQWWXINktUZ7Ks8RQPjPpLVOC/0JkvGgMOcgAR4gNjhz8ztfHV6ymeFmXVIMDvjSp2Dfs5BjZKwBl0b9NG37O/yUIRdozk7Xeal0lWFQ9WreafyvJzYVwPFkG0oDrrIGgvK1K2Z5nJ9p4X6k3lCcvYiyVfJfILRh/gT2dgf6irutZNM7npuIzLXVlQV2wdMmB+sARyzA/NiKPY6ocRIqGOMP7IC5Dnon3M/aciQews22K4XLUnTugjhd7JL1w5qbL85MoKkpgJxbvpJXJjI2QXA8bKSmqGh/HYIxlUcII1pm3UccI2jyMGPWYj6ynnTOk0DKuXUEyV9m2AHLpbXQhkcmnndqmDnmZM9ymkluCjqYpKT5tR33R7aGNhLN9fCA9m03wrino4FRlanOCr9JADqeWCu2Gwpsg1IqAO3liOzrIB8FjjT5xv4pLhwvm4CAfDCZDpdlcn0uo8dsjy9nh32sr0eXjfc3JQwB2ZYPr8qlhtD24dAr0pqDkRArNEw2I1GOjJn6jl63GEQnYWVfknmBnvToiR2yGy1WVdMhG6WoapLt2bg3Tf+9aoCnubXUJzTk2iQlGekEMCGM12u5Iz8tdzvGCkteBNHOOP0IwaszLF0xNnJ0vxLVhY5+HbYNx0t7ak4+S1tB5n8Q851yLndc6JqomyaRpMNVu8jZovaoMciuqQ9HfKT2RNSPmh7Y++mMP2ZTPQAyWTCebanrELAq9Z6s7yuzwt+aUAP5JEp1j62T8B4rKx81GXo3o9xzodFm14gFChfLSb6IuRSdghem/rF8da6Ztf19mBFwkHrUo2jloXWGbVnct1lwDutmLBlUlVWQpMBDuQuXQgF4mIYtds/gzn/qMnmA+cFECD1OQLKZ6RKeynyChkKI35Ys4OtWhQX7hEqPielx6QeQGafV7mFZU+su/Q7Cvbef/zPnck+SYXjoTnkk+XXwetd+FnjxuKKd2xJhYhTFLVHl9xPhGJUA4WOQYeHjxrw4mDahCzVpGh3HiKPE0PxUi7wIw9RROXyEJSHL0zZSZ1MZhn7vTt9MEOQxlCU2mt5xg4f6ZozUNi3YJ8+0yabXnLv7HsCeOtM34qElZKYZqivzclHTwNu5q8WZ24zl46keeTP6I05YsCWFNIICR2QFnkZpeUGKz8sPyLlK8uRBY7B8HNJV1/PeGkapZhTwdWz6vZWS0Js9CYXtwQjH5cfych3P+j4iO7hlCfC9wMZS0TU6Jh5VYwbFPj4p92I4KO82ZfYutC+rJlaGRBBa9hVGKKCxiuTgodfjBfE78Qky0Vmzwb4p8EBOD99jZSz46uJO5Q5u24N8iK9lkugOSRWO4Cdo/J8f5r7xSx68biFqGeytMsLntJvX7hCR42YTKlPcseMTTeksa5yWB7TmYhDwCU6DIhR8EMwVLcpA+VD+aEBYe5KdQ3QPLIDGsuR7BKGYLSONRltQgDk0PjIoRT68B+DQDjAxPTo1lug2l6zHMzK4ri8+5dEkxbbpAl5n5QXHDxYiyke3IEaZuVICH45Xzl2DI/iJYUcp3pFeTn1gm2XKcXnYpYGOiu46ai57TO95vw4cjBYayIr9/V4nixOZklwMQrCC06CeqGXfPKuBzOeERjPaT9MRcf8bx3Jf9N3Dsfmb+I0gwttcRtc3lze0nOOucLVwkSS6EWkxc0ooJ6zKiPQMWX/bWBubGygILIvYvZM9WHkqD2Zyl6An9K+DWUkDQ+oE1c3lelA5a9+QTYtO1yFR7+fPMFEPHmChejKa+mcr8Y54ETnhi6PDh6j9OOjg+xoNNg6vQ0OV5ubJ8PAK0Jk2JTQXlwYHDisgodv1v0pEHvDw7ntRS33qMGgYQasOtvZdfth6f/I78Gtv53TZCBySBrhLkWSghuPD3MmUx0lWABT7M3jZ+olXSTLkDcCbiuKbgNt1AnDmBf1xOoRyVUctBZW48zqW2SOk0pXmVEHvlRKiaxeIrGgZBCAioC1pHDFRJHhJLEzjhNaWLHm405hnkSgbOvKgq9ZZUJX2Bm6pNZQrN0Tkc6rTjjlSGtlGqYd+RvUJZaljOi+Yw484BaH58YODEM9Ohht+JyXmXtvDeatnQqCz3GQXA0wv6HhYYCP/FHlRVqODx8VbGsAUY+ZNWD0t4QF9PBGWjAriuDzgvnGvwqIGoA1dHKS1pcpMQK3oWADHdfvT+U7zUhRjtE9Fmb5J3aDZL48T8abg62XreSy90oH5oLk9Tt43BYfWH/z5B+HXnrOcrSx2JIuYjnzcv/gzNgIHrJSXAnmSdVAALuslfAK4eNjDreR6PoIkK9tUV/lDr/h13VWz1NMIQ8muOGPJuCW2sPdnqHpx/Pm+Tw9A3ubF9MxvDGXqTg/0tKGEknMwH5G7Nu/wDaZzzkkMaiyHAegNSEWH72WcPBqcI+nvNfNLbnfcOnnmOEPaLc9nfBtm/B/+8BgonSBuUYKN1SqCwfUaZv68zOqpGXacXRKmkARqb8bNokbm8sPTRrblyTXZZwiv3U175+ZnKUuJM/gRBoPl+u9gJo1VdIqFrkNQdFsBuoUlBtokTvV5l/c+u5q67vWPb6S8158dHzCBd6KM5wq8MNNBur3hpdKkjLR0rEJszWCpSok/wVwjiCWrStEn2zA9VsFOMLpJt8fkVI7fHE1fKGt0J4fZFQAxgC/k1sZzyt9PMV9WepQ5J/gA7gDDANnCEsDgUGrbLO1BAC9O3Ipt8efp1hoL65e+G0J8Bkw8YJLDl5Kqjfa/Tl5B3toeKiZCWUCaz0lFqKOsmWPwV6Xzgu2ZClclyXsKXl+Yupce9H1/nn6EEpGhz5Y1yzt+cEIjrzRsU0cKXWdy0vlgcTofAdPbrTm6udXUjT4ngaS0EBOgBVefI8rL0coveEc00ndcti3yyUmJbcZkVwWgoPt1MZz5BRldQ8uZPow/hDN82K6HHk5W+cFIYglHgRzj2zDnD6SLwuXU1qm4/xcuxskg4bwX05czHzPiDHAoPx835MStsNKegjCQJWV3RqR+9DvhHlj8xIllZswweYk0lA0J9+tjaxpqXGdrB2cputV6+Jqvabj91VG6imOvDkxUaC+0L0hK2YyZJxWfhiJkxSpdRhFjpN0zqOISn1fGsG7rPotkjfGfcM0u7Z99H3UvjolMFmbGKX+am1dRW82I6YQSQZzfAygCCIg+o2D5o4THOgD6yLmgrA4e1AjNddw1OclLhkQOvU4stnhGhrWxhKsTYcdOdl4cZ0x1x04iZKPj6NXXRhGK8CZQQvCxCUYb3NAMyKnQvD0RZOUx2Q+fcHYlJ3hMpUFZpoyOZW1pW5iZZPivjLdftHqtmT6NCfeYEBvJQk+Ph4RLq7ovzFxCHfhmcNILx6bvYadtJgL7JucF3a55Gw9/v5APEh5aWvHPsZxS7EkNB6Y4Kxgb7BMYhPyUiCnISZfM0WV0hjHyKwndhBQc3F732LTfaliN/RMRADcEu/Ymb3U/t6ZVzvL2OqOj5egdGxVgDI5oS96bOkkXEZye71GgcAKh6t2NPzXdkz6olEuhmRAA5p0hxM1B5x1yiQFwqKx/eDkWJplyMwO9W0QfNRcl5mSKRu8Aj6mhpWFjFrXOEGJEJRvj5Rhu9kyXxnSSZt7EGyzeteQRvW4Ca9NLoZkKZeCnmenNcQAPW01y4SZCSISrTpS5xGfT5QpyfRGK8Rtm2zVVkBxUKh5a3E0qmkap740D9N+c+hYBudtZ849SJocVKdEdfQEl7tTV5l1o3CWiyQBOUoxKJculWyxSpDjRM4QuzugmdAZkfp9OdcctutuIKUsnFcBvJQrvuRDkkWGUEmMD1R9mBxkUVa1e2e84eGtMDTHT2qEIYKr6xexcccm6iyKTUwaN2Xvlh+4iaWwL7gcPDKzIvSlvBPlXuluYRimiqxa3NDx+vPJJsedv9HQ8lfu1Uhp5j4J80zz6RqJoZFa7AjbWHvsD9WLLtP4QmKfMgM24FCqRs129ELbxZ2vvkwiNbkM9WHtS6PPe6dNXcgtI1EnseJfzBYdKIT7bwLsyb/UEhcCSRlZNXH6sqywTvQ4MYO35oEZMNDZY0ODuAM3btQYmWYvtM6Lu+q88OoYMqSaIDi1QfAVEC8Hdg89GPFlX6PYluezbZYoRh2mizxpbWkAPEs3NeIrL6UNfL0LvPYz5zQXyKdOlCrZ4GcvBr0J4c3DCfirX4wbOoLRYUESA64yI+InwuBoWpyQARTkbt/StPEwO9quwLDOuozGOBuL/CIDvhJJPK+mwINz3H8EQz59HHnpdqzVcJHl2WK10HNrpOHyLwTTOr6fCWJLQ24Ea0+++APFuuqRWkIXEbE27hx+2Yrs0Ibf8UQOewA3KDZ57S8YX99HLhqfC7+0AJM4OIkVW3cBJWmABkw4kt5FXvcaWnmxZoQ0t5Z+jpAgzh/eAR+53LTERF1CZJ63l3kqExgUSNMDQ9POfZDI1iUy03XG6vsHWlq4sIBx2zTTYNYhvO+F8MBn70qUqv0d62cHQot9d9pOOAWf0f5gDJ4YqSP0dcRYN5377EjvYVDeWU3nhFP6ZmUY3aucbeQTI48FSZLHGTgk0nArlhtLPug2IxpMVorsz5tyrxZoNrMN7akQ6sZQSTIaYPtmF+jGMGr8oUM36Of0lLhzhtxgmvi7hYV1o95384bgglEDyN7+ZRDw3TDobLoypvZIPWF64SFTLfpBMvstwWAD3+Bhz2moFMaGC30I5vy9zXVjtAu5tRKbUpbnqYiVcoLs2+C8KLM/irwm0YnFSnrE6TWn/MDT0XABfIXTHt/JV4yISqkooPqM3ft6jI0szp5luFvTCLKwcfk2RmyWxkDXF83KQMaKDKEC/S6Oc7CI75lXPW9OiiQc2gi9HNXBSeT/w9ERUZT/jB06Pjmd0iwTyw8N65xJgmsX2BAfbWAgz9F9wLwzxXx1mPRWzpra+7Z8mn50+z+yxtlY"
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
