# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Is DCNv2 more robust to scale? The scaled-MNIST experiment, done honestly
#
# The claim we test: a small CNN whose last two 3x3 convolutions are **deformable (DCNv2)** recognises
# digits that are smaller or larger than in training better than the same CNN with plain convolutions.
# Both models are trained on ordinary MNIST and tested on the MNIST test images zoomed by
# 0.5, 0.6, ..., 1.5 about their centre.
#
# The original experiment reported 90.03% (plain) vs 92.90% (DCNv2), mean over the 11 scales, 32 channels.
# Those numbers came from the best epoch *chosen on the test set*, from one seed, and its zoomed-out images
# had grey borders. Here:
#
# * we keep the **weights after the last epoch** (no selection on the test set at all),
# * we train **3 seeds** per model and width (16 and 32 channels) and report mean ± std,
# * we zoom the **[0, 1] images before normalising**, so new borders are black like the background, with
#   torchvision's bilinear affine transform; the original protocol (nearest, grey fill) is reported too.
#
# `SMOKE_TEST=1` runs the same code on a small subset for one epoch and one seed (that is what CI does);
# `DATA_DIR` sets where MNIST lives (default `data`; it is downloaded when missing and you are online).

# %% cellView="form"
# @title Setup: use the repository's `dcn.py` and `mnist_lab.py`, or unpack the copies packed in this cell
# Packed by tests/notebook_pack.py; tests/test_notebooks.py checks they equal the repository's files.
PACKED = "eNq9fY1X3Diy77+iZc+c2IlxaDKZ3dfZnneZhEw4m5AcIDt3H3Aa023AQ7fdY7v5GJb//dWvSpIl2w1k793J7iRtWyqVSqVSfUm6W5tO8nhxuzZUa39Wn3YO1MdskuZVepT/mf6v3haL2zI7v6hVMAnV5sbmQE3Tq3RWLNJy4+I2VUF9kaqCimR5MlP72XwxS9e/3B4U5eRi/V16VpTz5JRevS3yq2K2rLMiX7/aVLPkNi3D3hZ+UABZMST17u0ulZ4UeV1mp8u6KCuN2Je0nGdVReBUVqmLtExPb9V5meR1Oo3UWZkSVmdqcpGU52mk6kIl+a0ipCuqUJzWSZZn+blKCPTiFiXrCwJTFWf1dVKmVHiKRpKqKiZZQiDVtJgs52leJ+iBOstmaSV9P1rb17WO1kJuaZoSJbKcu2G+qeusviiWtSrTiroyAZQITWT5ZLacAhdTYpbNM90MIDBtKsBdVtQT4BupeTHNzvBvyt1bLE9nWXURqWlWCaHoZYWXPJbcEHXpZVGqKp3NACQj/LnbDY4RyqChBWhba2px09cXxdzvD1HrbFnm1GrKdaYFUY8bonZ/TSc1XqLGWTGbFdfoII3iNEO/qqE6oC/JaXGVcodk/POiJnwFCYzGohli/am6SAj707QhHDVOlE6cPpVAoKqJETIahkVRcovtvsbq4MO22v/8/uCXrb1ttbOvvux9/sfOu+13NKBb+/TiaI1788vOwYfPXw8UFdvb2j34p/r8Xm3t/lP9fWf3XaS2//vL3vb+vvq8p3Y+ffm4s03vdnbffvz6bmf3Z/UT1dv9TFNqhyYWQT74zK1qUDvbVO892vi0vff2A73Z+mnn487BPyP1fudgF2DfE9wt9WVr72Dn7dePW3vqy9e9L5/3twmDdwR5d2f3/R41tP1pe/cgpobpndr+Bz2o/Q9bHz9ya1tfqQN7QJFn2+cv/9zb+fnDgfrw+eO7bXr/0zbht/XTx21pjbr29uPWzqdIvdv6tPXzNvftMwHa42Iawa29nX308P3eZyoJ+hBZQIRdaWR3d/vtwc7nXSafT2oqheev+9sN5HfbWx8J3D664BaOj/KjNfyvESTKESSKREPAEiIkNiuVFjsRWKLIU56lAJFv0Zy0ACYOgCqBlKlURjMsyxc0+xKagGlS5sRYZ2XC85TZqBLOpVJVnSZTw09n2U1KouJS3ahLEj/ZdEgypZoLQ+ZXKjg5Kc7OqrQe4/HkJFSLMp3S/K+oXDClKTy9CYmvs7Oau0CytbxVlykhgFaznDHit0c5SQegaJCR+ZoxGajRFPOr1TbJieUsIbHZ1/x1ytOOAAQbkRIaHuVpMrnQdJmqq2S2pLnyU1HTuzopGZvf07Ig8UIiFXK2ulDDyYwk5fCkGSUM0ub0BFIivSEqzm6p8GJGUvcod+mPDjC5KxGcqE9DR8WvIdKJxBiP4pokEZN7VlQVjyhWDZESGGTqA1W/LZYl9a+A9HlDQ6ryNJ1WAu7kpAZrnJyAKvzzKoNkOWEci4WMc8iwt2+490P8VvTnxx9/VLQakSRRXLN5e1ZCLOKdKZDnra+0vJpvbfI0JXk1VKNOiWDwQ6RebUaaIcZV9ns6ekXyPpliyRgNInWaJdXooFymYQPuhkAxVjGth9M8IAAAtPlX/Be2mg1uwpjk6iKV91JvnxoKDjelcal37FT8sx16wdwZZowSD7Q3z7C2ybKezFPNeFUDTxolxp3QAKeBwSsicsZny1zPwngiRLmJpNlY4JgnUMIhDdUmxp+NBun6a406yOR2QnhsWrAA0Dz/f1VAk5LmJPVAJMKCpviMIPP0xOSQCU2zvVguotZcJX42sxTVWrSOtRhCf0D3WTHh39UDI0Bj/H/MGNB/GIaj/FNyiYWSqE4LPtZWmuiEhCPlAu6biJNXN69EIpDQMtIpT+uQ0T3PrlIeGt2tU+IZ8DPGp7jOZXqiiZL0IG9OEAhiNBqi/fS3ZcrrbUBPmnWJTQnfV/6I0Oe99OPXQH7qkn/lkoPQYbAyJR6akAAaMeJpWY/rYtx0LwD6DnGJCoGpo98fPtt4dtwUwRSfE01LOzf4Tbz/87tAS+hFUibzMQ9rhQaIscrRRkwDoAvMyvF8OavxzkX2kKscHq3NyqO1Y+YTfsPLkGk2dqFrvA4Z+Ea8Mdjw/2wem4XvKGcpMh6fLetlmY7HRpgkOelEwjwYE/1W/pllpzHNu5muXN8uMH66yFsafZCQFnhaByLS9yv6e5fm5fRgucD7z1oaRkq/+JrTs9OKloLuU+zNVFKc1XvTuiseD0gdLcqIxeRRPh7TyEIKU7dGpHcNYqIF+jweE5L88lAo5WoAWnhCPfM+oWnnrTDLeNIuzdOc6DG2k8/5eJrRJ2L4sQgD50svGzrfe3iIv2Ik8528/pJkYD0m5SGJCk1c+Ul/HVPBn7be/n17990+lQuO1hIydwgEwRZ6Nz9l6SJzgyj1YWt/fPCZ9Md/kEZGCteoxQPxWZZPx9UinQTt2hDbxERql3QlgvTx8y9j0mbfGjiBDOzZrEhqLB/yeKqfWQxB2Vv/A/6gna3ynA0wsunSySUN4FBLNzZ+Joo+4YHFMKkt2ZTElRiGtEhixFI2AbW4Lpc5FIk/Cn1iGUW8kZUBa1Q0AWi+DUmlorkwJ1N0vpwPwQWhWv+xzRhDw2L43xZWpRpWDulTYCkS6fSClidemn4cGXAR5mCiasCixSBS1+EbmLsQ5yotS4JASl1aXmcV6cha1qCdrE7nFYQkagq6xCnUSgXVl9aG1PQhqEU8QPqGoaJFklrS36SehnhGi0geMOBQ/WmkNoE/OI9meeDCjYQGWJbw2f90WhQz0fOveHFmcJo4+FMm1BV1cLtIt9G94Oxo7Q5kvlfzZUXrGi+YlnhCGGjx14Wm4Dk1eceI/6m859mlsSeSGuz/Zoer3fA/UHFVyzQud7ri/aqGypQkvO6XTC7hGtb2r9IxIdnhHuYX+jC0uLbpJhWYrEXZ84Wp+m1UVAYlxTy6kmz8jig2+DZaPQ2+pha/d6jFwmF8mkwu03wa6H8bUtG/Dan0VyFZroz0fQRbU8ugC0OT2OjOVDfjq8u1aGJqj0ZtYW65vi3SH8LnmYY3agMT08d5RwLgIsNCXOn+EhvMyMR7o5418Dt/ni2pvVYbBJ04yaxPz/zx0GWdESEzoZgR+/aNSSQq9lDrBa0h0lJJNzR0e/OMepEwi4g8h5Wn3n59txWJAUKqknFCkpgk24OXCtH3Iadio8d+pmpfvtpKUhieQFQgRYa0N1pFzhIy+ktYo3kLC5pP57N0vb4o0wTOqFlRLCoVVKlR5tOqrl6epqRSz5PyMl7chmyaUhPJrBIPGRuoYCO2dqvlAus3NSoL7ctTuwJ/3t39b1L5tf6n7cdpepVNUm+s1UWCUTZrHURm8OnLPqxbh65tlvzTyA6qy3KtccU7QQE6pdWl8/wmziqSUWP8HEuJoOH7oKOoiO+CRh/1Jstp4ryZksqamnnpKyY+s5o502Bk3gheBBo9mtD4jdMcKts0CMNu91rTx2Npy/Z/tMbzc1rMUyg16JNRW4eaZVLFDvLGJU0zdapOxQBnY1OmgqOUb33ZYVCLWVH/0cpPV+vWVtfQ2gSOj2OotMYcQRxk0+YFcdwgWimwtKnplt6AU3zGTXpARNPipn0F67SC0yJ1XH40KUV2Jm03Ytd/aAULqauVw2ems8Eu2fDqufqZ/ru8wF/XkfowLpa00P2Cf0K4MzL2IkCD85xVZLJWsWfXnJz4tKB5kE7qashz3vVTKJkZnrPiEsYCo6BeqF8jBEtyfAV+wXmDIH29DP12LooZLS/TW+2sp7ma3tQWwPQmboo7w2pG0/oE3LGhzgJpAHM9R4EuykL5do4JQco+BHloab3HE9UlN8j8c9RPYbg6hyu9PPyvmsCaSHnoiVLpOZmpkbiLnCF1/DyEZqR+CxVWgcqncpBF6lfSaeum5slJsCDEhBjjC7UOetC/L3g4iCT8G87h35pi17oYD5Yuht/Tm/DkxKH3F8u3hGBFNam5Q5oFH6j+4FjdKDz8wg8nJ4wwO3Rp0TLGL61GZ7yYUe8xHKdFOU3LvtXjkuwK4o+Rtm28oT5acx5hvA40DyFOVTWVDEuQZc6/3KILKrpoilquOVrTP1F4QxeeIv7VFDachdLmtwubFiWZIPE0mwdsl3yv7KwRh9whEew7FWw2cyF8RDvUc46Vw4vkikNWtJSZaa+9BOIfoOc7Dfa+IwQMiXv/UEOsY4qN5mIcNtpmbmc08e6FQL/GP0Qit4oeSnqrkdHk5DXYLPCsg7zadKnG3zvrs5iBbhkBl5RJfg54iD4EorSMTDF+iqTJEf9ttMriumpcEQIjANc9fy4PIWbCRRhfZek1fxjI/0OaGX4tTQG3YsVTz9SWmrqY4ZJJMetB4LqFwHUDAt/6EbjuQYAn9bWHwECPkkYAMSU7CqSzTy411NOySKas2NS8ilUBiBUxxiEE63y0PjCE8RkAEtBTcbiRF2qs2fP2RvNUxILfqvLtz87a7Xgvumuqt+i1OJ0D5Z5KbVYRljqAaIR5V4zbCJrnwfg2xtck0B+YXA4A9fKlnv8hY7DpQwxjBKlJXUAEbcCfv4/U60i9cujWcioGns1Dy73RiDwzqIeMPzXyGYtSuShIqkG8M0AS5iSv3ZglL0xWjYlY1mMlFXFvVodspc6i8QT53xLtie6hs844aKPEc4xHtGJZxeIudBYddQitdHjSVQpPHlnTCY/noajAbPlXHOu1FCDuYekRd4wnhZwFE9WkKlqeRTDgJs6iTpBJP/zr+mBAw0ZyHGkEVUXoT9jhzoqP0REK4tAsZzfjokwntBjMbnsWSXATcQ1xDPQtVhId9mMlASKmFQs6HAzXBzpOcF2Ul+OV8tg1mVaIY6eIQPwzT3nNkOo6AQqIq93y0B2uQw4dv5GwXTLLznPSN2nwymr0PgFAocANUa9mJSnYvCH5QULvpagWmgzVJJmlXt/y9FrLq+BwM96g8iQv5cfFsVkBmv5alQHx8VVwBgKH28U0FGjyuBqmJ1hJm5jMl7OAG3KmJNE5WwSQo3UROCAi6Vpo5QURDEQzclWYk8C/jx1Cy8zvgEIJTulJR00EAqqKVnLG+hPPWxtyWPGnZ7R6PGYVkHC4oukIsepz4UlHgnk2R1t+tdcCico2z4jLDm1Q6VBeHxNtEHfo7Uyfzfcttl0v0HlSXa5GA/LL9UypxhmyShy/608puSKhYsPdiQ5aVGwokUWxnNWci/SoXfcUoTzOci2XIxFokO48ePG/Z3nahBRa1XoC2649+bPThBnx4K2AA2I0BUXLjbSVEL6hTssrSbpg04NDhBAiLPQcmMI1GiL7rjFOToEHTEnt5DdRj14LUsYD1hpPKwewMAorHStJpXRiDVuoOgNJoyjPA3eptIzVeFAD9jZqF+XQk8Yv2LszuBkwW4WdqF/kul8fWy8FaR935s4PWiEKPlCD4AsxQde1+flckTYNERrKX6QGWXP1hZXv7jInn59m1ukBeaJdp8f1yZad9bF3nc/98YFQ+6F1fV1IT0hmzEqEnhF2RsiJcHvArRExNz3F/e9OcSeu3ggIM9COKH9QhPxPMW6UFxYzq/SXibDWZEwiY2xSYoxbQNp80MzUpvCImwGbOZCkhG8zjzoGeqOhS/kHNP7D9c2h1qnsEk9FVjonIxVo4fUAxUKjUpHltZyLPgw5a+Vg13YhcJjjXpYdy1xtdvRkFTnpRLodQrzXsoiRmEWdDfK2wyGyRG69ZkH5sF7hkuyhFnpMTSeQSqzlZh04TN90yvx6zsUfamvQaY71NA0gdrW9P6s9uBLYpiSKB72EDmGnEIE0257R+JKOGQzI4sBwnSb1BNnO86QmXRH9aDkr4/b4GEzcPjRDYflczGLuB/10rX+domlnkgE0iBw4qPby5SrAYZzeLIiDoNytD8x/Gr5MEe1QmM+DVjM+vo+0E5nuerALlyEjIy68MfPtcKoFQZlhKCpZUcWlRB9e8HvrLdHABiL6WzHg/0XxDQXQYdfG5rKOw0e8gmILm4jx9+vvPKNaAsbiKNQuPUfMhl78WGJiOmpmdL4xc2/wSBjfRyKxGuO6CJlaq+vsWHRMA9+h+OBaQPhpBvJdqix1vvNWAxLcj9BMs37Hk/qgjim6DX8bqTu0e/+oJ3WaYQmFGn96y6ooIQ+ecjysLubOeGj+Gz+44hFRZOp8R1JHi98WJcInkWIo2px0jH40GRNeD+w6ebeiNT8fQc8zI5EloMOd5qkmXcZIBtLbx3BlgJ1B0xhHoUdWp4UGqQujmF40iilm5eHGsWinPDPxtFJHxUdSUrUINfCuW/AGHryBwLvuhTdw4BHRBMW/qQGY+9o8PEUGkG25SHhjCqIi6k5MlHthW6MW3+kf92yxIFvX5h7wfqPH2HnGG5b0wnYXrCDZC/D4iu7DldOMSEdnQzz/8dgJNUfv84diKmHfR9KNN/wuIizYiXQckionjOktJv9ugOYuv18VoqEPdxfCv+qOW7n/XwnQfKtiy5KEJalX80kdHraEYq/oaCN0573wU+JampwjN1hrc+RGHnVo2tbaHukCN9YesbunAL735I2DmXTmj83nODCZGX9co7wxRzkJ0kGT6B163qxfkHuUPLCVZ5pNJasg1/5kFYhuxW9/9rxDWJAbodFEZ1y+Nw5C0s2HD4R4IrsdyzqnWsEFASpem0dBhpHrurFbn96gWxUi/LnzXdynLXvxyXgnJpNkRUwkWOYQ9LxhAf/zxqrZApTn8SdgZMer1Ikqq/a0XW1KItm0RCoaYh2ErBlXm6yvh9X6j05Obg8xoUgLPmbLMqkOCyx71XI+vptQH++1InFYsJf48lhbaKh2ydWeq5tDcSEvNqjmYnwJZxaPti10bFJWJBnv5MQUFacg73hNz2kASvHQ85aVZkMRy5mTk5vDOI6PHT+ik7sQiJ/c2CAIcoWx+sxoiB/W4YBJMU/1Nq7rgluoGu8tT9ZnlTr3ErHcbXDSSuAAHPEiUmXn8yKbBhsh5xp5u+Vky1T625KYi7qie6s36K12+46bmCb1yj4Nbbx0UizzunqjTrFZz5Prjd/1sbycFT7USBvGlm8cONYvz8m6pjzvs0jh6NR+wQGnOYbiu+T8fLjsWmDZV6sHoO2W1YvdA5iIy5jFBU8K0W3zDo1JkqRnyXJWK57fBgtvI7vsT++40c2Sa4muVx7DMkjIvzbBZBoLDMM0rThCaYfMG4aGdYa8P41nq+x679u/GQnOttSA1tdCrNR+h7O4iVXAKaxVbXOsWBQhXsq5F2G0yjcd8VYJbJ3gCRt18s04V7UuODlVD6+fihw8GutoMrn2saK0ox3tYAfzpftM5rlOxlrp85Yq3Q9Of8Qjjin+y1hn37UYTcq+hXtBh231LmCfbWitIIm0zDHe5+lUwtXV8pQHM0V6WLpgQxN57+ANb4ewFik2VOPkMqwMz9DwdXlFBe36rEeNpAFXSs2Kc0InDLVwbc8WbYnjI6ZUOxHMpCGfqTGNSVaPx0GVzs4iV2Zp6eALLn7Vl/VJMvPVkzM/rfyRrVWcVa6rHEvksD9GaAUKJB2/EPmBDREI3LJo6GnvedSWBRaAO5c1GEzplZHFPvA6M0qCkhK6xu+2D4ojLkvigyCMLdmdJE2MQOwMAAdP3J0k3oIC69Q+WjXfwnGHrQPI/QhI7nMXlLUtfCBGaySzSW+d6+DQsk1aSPiOYbsdrwcaBCAmnt6jFMlSib0xpAwGLUpE/sIr4BAobffT5+2m5GM+dROre7hdrzeeietttfnO9GXYbVZ/GaPrzIKGNKhuSVCZBY1drh0ydsE+sJ8nkE0792G/sXnnYoTS+vk+7A6+IyS+MdnUgviG8KSt882RR+MdbnZZWZcydiB1x824fPRWh8CoTVGjJIXDp1D9mYHk73WL+ne6We3M18bYVNaA/lTePwtX4svxSw2DlWKHxLD52SX/TYiPLDzZumTVxqC1Dht3OX8f3cm/PdgySk2k2QSWbRlw+PDBKk8JTttqngkA4e8YBe2yToC6Px7txnphSLcngbjyOm9Nvhiry8Zm0Rm37gkS7YpmrR05w9js23ep8oA8M/Nh5E2dyCxoq3N82yKezbyRcz6AJwr7XHSXzjEYSLA1fV8xRlpDWt3Gk+GzJ6wZeBaaspvaa9dVqB5otWcBGZkVjduXaNXq/pF5abagp3VaVkHoamedr6jTp1eIYmexfIb5l8FpnVX69CttQ+hzPN6wrWaMnraFLcqll6DbS5he7N1Fm6kHIdlmlqhvdHuErQDojT6bP9Rp9DVm43McMF7Sy/BphVlBNlT/r0WJc9Lq22YQBFhDei+vzAmDdskjNR8AjaYbwO1Et6c0AQgux6Q3dZmMy3RRNnCb7Zk8isTOWPHb6iY85R3V8d4/x+auLYbuo0aqN4Lo3uUaGkVPSGOt2YA0bkty9YIRa6TYnVuPN+V2odr1ftUS1oC10u7Oq9kLVssRAjpYCU9P9zunQi8sNy7eBwywWFaI67IHgi/cHkTKK6pxa4cEvAYws1qr4SokO17WtS6DqheCh9mAfOeunnoMTXrH+jqExHVSTtV/wI9uLdz0ZjHLJhnkFHOSNXXb25jlEAeTA9s+66MjbU2CQpOgqBsIh1bTemlVNfgm8uX8lKTkG2h6xXTa6GPsQjst6rqYv5SD9c6ysmqy/LXossK9qbisxQHL8x57b15KRgc7YXPsoUbOWY3zXczOsKaVWH1pq1j1RVGljjdPLRfwteZ8xNpVavJnmjR6akfO9ChTu4HB+lHiNs1WiwVWTzWtWgxoTlkQcovweASQkKcFR+gwUodTDpxK3BTL1BSxD1qmfs8WQUsVagu88LizRjFYqHffySkZ8swh082e9Ur8Y0gzJ4wDp1NuvUjZFwI4DB+kiS368iUqW1B4DDuz1DCuQzbPJyQaLpdaOVla0qx7jIVuRFdpD+njuS4S9jhwU1yggQpceFBghI7H957p2crzMTbaq0h934/CQ0k/bsKPeCO/NfvnGzOA/lNZQB5ldFblKw71t5WAb6MRh3ad2qOuUtHsygqQo7P+6rEwvBOKfzqBVwoALDNWWMKJW+mTatmCkhNmpUO0QM9w8KxK82J5ftE32zoBFGVUmQelmdgY/mRzlWRBhj6xisIxt+Qmq4xA8kZtc3js5Lw9IqtA6Q+/dN0RtFak7P+kqo4ktOkyLmHhvrE5OOpvuu7waV4lLTXu0J17JCewyqgCL6mH3Rf3YW/ijEmMeZRjNNdoB7vu4J38Sw0+psOuUg1DnXJgJaNWpcheGsMz/0RVoq3Yd3UJHYl/cNclG2kIB9h9Dj0RE73jooHP54BKkJSjrvZER2F7/5RHY6Xy3KC3t4gkQXNBBgHbG48v6C2LvV/xde0ZxyzUwj1qWeTaCG+Xbu9msWmxk6QODh0LrNfa1N+OQz8a2QNEZ5z2gMAXDwCIjaXdz+f3U1e5pvHY8IOd0PzUSlJvIpmRNszZW1VfxBXptQZH3xPRh6tb4lg2Gw+6qoFpCfv7npstzH7MyZ0QWn9fPQ/atnKzu/iR6OA3hwX73RWeLuPuGMGfZW7yw0ee2kDS+1VT6sZ+XebVb8s0/T0NROQ39Zstm91BkxCeRqctQG4cdG4iZ2GR4h3bxS0vSZL+DpKbJmF6lT8iWuFGiFyX8CNRkFVLEPrUGH+u7dfDaljWHqJnsWx8JzoJpiArlrTmsOFA93jWVVzoJFN1WFEnmXg5RpC0NhXI7DRxtp/YRBOc4CPJVHY/syd8WxkhqzcDtmdAZM5WGZI8vhie6HnmQ+/uH8OfVjoYMD7hUIIcOSBa1fTB41YO+dDaN1682m/EP4fmjUMbbNpusqfcbd4mh8oPoMiJ8Jxu4zdxctK7VcbZ6Rvqw1D8k4z1Pt72oTTM+9UD69fj4mK1IGgLj/8deTB+ijxAVlWkhgP85y5FT9ws1RNX6AkotOa50wwx7HnPDqJxd3e8v1uzyZ3FtnBk8iE39LwnH9RNXW22luBNR6K4SZMCfdR7PoaMwYhzS80m6m4vQofVRg3Tef6r02U24wHifDR7tLPoW/9z/9V/8VyGCCimzqJLbYm6NJlpfWLYuIcQbZDD0SsWfn3n8HakoJeZKKKNNcOTE8kooemrIweRoyRKgIjFpZzh4EqnnboyKT42cY6RxuFH8EZNaO7KblwThpBT6h1BzFkUfMZc3Zw53zShD5+XXECkOsXIzJG+o41STsm+TG+vi3K6bg7tq4ZNAo/JsnOycfiI+cg9+kkvYS3hjnOkO+Ghv8q57d4Z2n6V9knvAzlKG6cgbLSKts5Yb49j7DACwid8/Lomcfckdf809RUaPHtYGJiJutiuPe6nYGK0HTgOXzY+HG5htQvHVYr5JAU56FAfpvAEH0UXgEHrGQN5poLuwXDO1nJ70spTXBX2IDmzU6bTunugqOidl3xOO6R6HTSTVd110jdgwzd8Kc/mYMe1e49qGurj42TZhtFd5nICHekEGhOy04uSngMNMbx/8yghCGwDxs/scedzaU+ldOlh7lIgcSYhOS/I2mPf8Ctv1VptVPXj7VlauobdJWk0YjfyaKPijiZtTsHqb0LC5l5xvHHls2PBsh3uK7mtkZTrCHoU+hj38TwU+TRTqt2nHjdOTyO85ctpQsdL/Ro18Vku3/knwiCd9VnvpPhjt3D8clHQDOfLFqo/+PTwrBrrvWOBc3h4a73mRRrZJ0NvU22bxZsAZ7Nttv+eBe4qNyCbECIcdYRLb9wjXXCFABIvjx881cWae3wDDS6TaCCYSwkOJX/T9udYDqh+GmBfVcHtBgKtvdT5J6rvybURfJCU/sWrdzpjTcWiokz6Ls+u1ftkAveKk3BVPr+mK1zGlrZ8MPCkmJP01zYHgxK9p5KLwFRyhpOIZbCqZs+5JqweGVZO9GYGjsFBZ8rOMpKnnP+H04d1cYjRGS7OOk1nxbVi4ZTG53HbfsL1Fphxr2TZ4N/fH61hD8aZHKjunD+8l1a7pI2LXHDOXvaRNVxwcmIfAsnMFKVBszK1sMgml40Vhrx6SeAf2uOf2d0uzl4fc5yjQuuzOU7FHI2cY3xOi2V5URTT5u6hMFZbCzJv+E6z8xR6oNFdDXW97H3NcMOWWriwd461+UMFKxc06+p46GDTO38kaWam1yIK75mD5R4YPuag/7TnVmCNy0eqs8loxWov4HvUMiMdGrWMi/bpZUgj1LTs7CB0bwMwhSR3csWVAQv9FTzIF66YWuEjPbEoNJ3BPQYYM5nokp1vkiJ1aVf5skyL7EL7m/BwRLXucQ79zxGriBvzRGySked29GK8mI61uAnaly/MuwLNxJEnmOvQBA/1Cwe89GlVG8Ou4i7fuqo7X5+Q3/JMjXkzVIUZEuAASZxHtKbD4LLfrdXxthqCix2z3LUjHuIOHn/dNFwjC6X75+Kx8PHwmeKJzXvCaN6ZGA2t42SxQOKmX9SeaGEvMbq7bw+IyWYTOEM3HFimeT2WUmOcRJnNAIL7WdLXms9zDKSP7XpUUAaYhNfY7jkJHKCh5PHaZ+0CQSVXxxLUmUuPe24ma5mL/Xooybmkrkvduu5K1ALuH/9hvjV6Sd/lTF2tZFYOJZTdvqxJv8YGjXiD1xTWVpAT6+sBn+0FUTYF0W4R4RWsvuDz5WtaC2YljHxp6KUNjegVV5do8lQ1Jo7Ff9C5bksY2Gwr1G4KZOMn04zPjyNUrpsAWzZPztNnzncOsvH21cRKJ9adceAmLSunvG2XpF1ChqgjiDLexCQek0mSq1+X84UyZ4yqM6q/Xi+hgOPyGPQiw+pY6iO/ljgUvVIbMa+xpLrMafGfEukmcrtiWsODFTbB8rm+fez6Arf2yWZPErrJNFnUVcx0MXvzaLj0FQroRuWNwSy7lG17gPDu7S4NGS4rxSWkp7cGwgOrKKkzd0jnpnGGD0DxblJWa0o8zrCYPlygM7r3WhNyG3HuGaOP9iqw6k3DYpVRL8r0t2VGxGBzTVLitNdplp7VHN/oXc99LNTf1MaTzgOwFZwbajb0YueXcJc8/SWb8ukA2TRYiJB1Fq9vWbb6lHkv03fup/nO2zm+fVm9jdTXlnuTT3zvMJRZhhdNeemAW4FFZewNzbEnrlps5ABrGgEdmFI6gaghYovlfHJ8C+TVUHv49CgnDX5tnpMYHJPRpS9/FrbCBOSTTafrn3Z39g/4QoEywxGWJG2sg/p0VpBCHiH8Uza3TlD/UlLYL/VuWtzNWcxEET3KD7wCk6Qs+UpQaLxT/xJmvtBTzpukeSHXU9NU4CQC3IWKe65kT+pMziJQbwvqx5ujnGYcX7eCv8e2ManOsZhKQEheor4wmP3J+i5XvspBX7uc8gazoryN/827+LAH3RzlRxS0D9dyn2KlweHGmVl2amB9ocfee/vc2/qaG/rk6sVJ+h+4nY8Fk0EWGQyTi7F5JI0RQQtzZXW2uL3Opucc+qx/m85j7G9UZyTpK159+C5o3BBxmpS4nCIzCRkWvFz3TSNAEw+b4c7zgi/U1moTo2oBm67RCyD6+D2rR/mn7a1dotbBOxwbGw9ebfwFFy++2vjrAP0QXje+pnWsyxUGtKqzSdW3P/wo33+79XEbN/Udko5AGuBG/JoUT6yEz1UWmWTQDBXl+PfBIDxGW1QQTf8QKQ62DeLXhB3aH7/f0RCP1hiVdV7lq/VsevNqfXl6W+uNYfKRWJ40N3wc2I8dgUqFBxuXKwHhWw+c40b7guU9Fs9kwNqT8JO88fQn3L4kGsgCOzmg79V4gj0NVeXTl/1IdE0Q8u2Xr3FrJdOZMstpwtf2XCUZu4SCnut6XCSIW1DHNS/Ptd6pz7UTq5q3vc3FDS47ajvH13jFYyr7rYjMnb2mK1BdLO3JM6AvtoqPWRYHZVHU2qvHIzzUN96B6H4yubejQ6goHAyNSCLzQ1ERKw7ND+zdv1oZxhnfiBEd47KZUw6k70ZYRuofvrdq09dKe6FELhKTp0hN+Bvw/PElN/iyTK5fknD1h50HeVpc5+icVvsC2dXH59bj7tY+ZaZz7KnBhFqhaQHJyETCKeO6x0dr/JsKGChIIx0LxiN2FgSo/ZLNJxyFSJTGwm4MMZDCmX2h0RBunbGeJnVSpTYjTJ9joN9WMVdnxPTAjfjvyJJgxAfHW7xCc4nWJF3Uapv/4USRSu5lZMmaF5ZWkSy3OHgyw3cWHG0db2+ZY5ERLc8XA2eGO+zVb+qOaBLrs3FJLWLunxTLmZjYp83oIbfjjrG6D2P1ZSlp/2e4aFto3A7lYDPQs0g9i38tsjxwKXuPA2/g3aR2q3TKpxhTl+Pz3+UOCCzMoi/wJxD83dbB1vjdzh4vHz1HnyH8xDWktlxK1DCm+AA4lo4eeNNSjx6PopOBMQjlZP0gjKfZVbD5+jUZjZEtXcPLSEM+geYRONM4x4Izw5XNMu1W563p9nU5ta6wMoGjaW1yzwH6BJmwm9bd838aTc2sRrg0A5XgF4QdjHvxzJ3PVaQzjEjNxwZgOUoHDhq7StoZj/IDYFymsyX+nSc3C5JBm/jNOWEPfXzlfsSL79svXkszztvzWXEKhQSX7Z3jzq1ihtdnk1jtNLlNjfyKDKUr3FwonnFdhox7s9XwacdTkMZSX5jTG3AVREORpx3f8G+dycCtmhQY1yGoPziXC/sVZXDc9IBBZCqtyBCw9Ta9errSE+u++va62ZlLy5491sIdPffdrwbvbcE1OYHddECvidf/kSZWbRw3nfpGYnUw/ncG6mwiFT9yjpupyDkgTqpPmsBuqTT/3/hpjTZc1t0w2kgcTk3gwIb0VhYO4G0ugpM5GPGc1GiQqv0XSDg9TTu5tTec5UziZMzyZBq8jyEfgobtg5swjLzNR4/W2ezWYZTlFMR26Vco7Zd83V/y+8CACTvo+CVfBwZM2I1e30leCeDAUDe/I33T+Gvn/Wv9XiiLt3rIg5t4niY59sKMgk3cORTCxbEqofrm4WRqN4vecspNeNg07JgFvxfFvLXU6StRrBt2URZ1MSlmjdQ8nSU468BecLLqYo3/V+BOiF71NTktRAfJSn1Hn5xvxk3Dx5Y3cdNJkl8l1RvdMa2HNsuHc/JdFzUce0RKTkVmrnmJI9u11qyRY58r4m9yQZ6kqzIkBQel7JCkp3O2EOOmNWtFcjveAVLGa/EMTaPZFPZ+omOSEvw1fZA0GDbTSRmbwX8nCOlrEByszsv0VgUb5oQ9sA3rl3mV1bd9ynjjHNDqLum0eQVRWhlFfcfeQUXfSUVJH60Z00KkK/veiIP3ZjCSMzgHzKEVCS7XHW3gVh+Ggg08I4wB7vXhMR/x3/BEEa3oE4pu8LU/IAmqulFH4UjZUNUe8u5UaJS6g/exIBaYkc/czo86pIh/2vm4s7u9tcf3vXHVcBUiDTd0UWgabmuY4eM4oP3t/QMHBWNOdQ9hMRgZd3CXPnJWTIOsjYxKTX0CixEQksLTjdO0ZYaYn81zuigmF+ZssCrF6Wn8UzscPHPac3dwsr8+RkxUuh++d8JCiP+k67SEnifzedK83Ij/AuDVpBFTWjBxmIiLHT+keOPirwW1uTVN5pHar9PFx72gon9kg9hAt8iaq0qW5/bC3tjEJWQ2zgpS+nGuG1PAEU4gAkILHBFl4XaxPDvjTQQsOiayza2SC795jfYO6ziFApQ2vlue/xKb7057G6NobnbGmxi9C7r+cRB4NCvNLV3YbbGcdSrPyrH9FGsK2YYQv28TayQk0xeEpDkZBwivGag/mzekZ8+TfJnMxug9Lt02epqgWhf6oslQp5SF5izXqmL/gBsnH7MV+tt0Hoi/TjgxFO4Y4S+ZAfIe/M+b2PUVW+5Vv3xvoZuXizsCg1maN1PXdmpkfzk6gtlbvhFv+Ls7mcnZ288JHrJnq+H8dowaF7pBL2yJjkOucRw69DETUX9yvrTSBsGlvCetpF9jrMDF4lY4gxOFb1sV7DjzKSmSi4hoRF2Mc7KcWNnuaYO9cKy7rIQHtml/FcK9GAmMrE6xh+K5Aum5Y67abDmyDUi4w0T2BeRL5Qyf7+CT4iL5ujuLIAuTyWRZJpPbPnHI+vRqcdgr9npk3WBjQ4LbLLB8eVUs1gcWB6XPD29y3KDWJDPkK9+uN9qR2WzD6U6OgOhMrPQqmQX2stSSxCGL1WZeMRO624+rLt+ajne/hN4VMQKextdwnINJGCflORkE8OFMFkvZPEO6TbUkJtC84A0c0Yz3JRqwMsaCiLOSpflVVhY55HbQNxwt66k4/TVtpxb8Q1L15GikC+Jq4mwaRnOMkrkWDh61uMcjuqA1HfqTWRP06+nEOkhT3jhwZ49wNRiOxzpLcDzmI+smbFQgpNb6sritL/gWKttYLK9MsaB1lCEB496zOVKXgXuM7AUnvzdYIBUlX87H+kPApWynvDb1DydUe/vgxVjuFgoiwmHr7Nnjls/W6bXnhN1hwKwMeZk4VWV1NulgLJdwQk2QoMOw3f45HPzHzcZfhDNAAKnPGTe+aNXcmGILsuE5nThBlvq8uHTzZDkZVufCPoHx9pY2CaOyO1tcjh6q/U+f/749PiA9cTQwmZxZfqve7iDIGjU+WHxj3yqUnqKoPU5lPLENq4o1dHQ6OFprwEvIaQPaVXPaofMSW74Zirc1i195hCIul5fgPPxgzk7qZDzNOOjdwcF0QRpDUWqvFSs7WtOz0EDhaIN9+1I32WCpD8jU3wngvTN8S1JfShKjgf48ZHOmZRM348fhncgZS0f3PPZH9M5kbLJvhWxEIgf0R55GabkuN67iDU5PYs2yuIJ6iPdy8mM95alpzGQ+NaKeVvf3uiQUSW9wcc0Ttu77aWx8YKruH/E9IvLE+H4iYXmIREvpM8+KUUMCn/60PhF8lDcrFfsbvLxxQSMmhtYZPkGACpK6tkYmH56YLvREQuaQVBy9igP8C3WItYB+hlrW46fJP5Mxu2118jK9jeQScmQRagSwlvg5k/a6V5n0+mJauY9bdm44t/b+8L2rhtTI7dN3stIDO3PIhl3m8EWmU1GQQEsgDIih+lENdCCVgfImo8CAMFcKuS5p7tkh9eVYVgnDMLqOdSJtQCVEFqyIaM0p9I//GgzC2SUGo3tvgur2mulgZlbNUdRHp0RzwpzZTvgpKS8RkVK1OOchHZAOtzCMTSvI0vFseBwvp03wMVYoLxnMWIiZU3wpZnmgM4MbRM2lOOkt74aVzU26Jg64ux3NkvnpNMGd6MHlIWKsl/ouHF714NgzKuQFrYepWJ3/0j35F/3mDFb+JWE0BNXm9+r67vqe3nPCFW7gIpYEFqEubnoBg52NG4GOIfuXgbm+vo6COKgFo2eqD0LHEMq0Ngb4Ka3bME/S4JCQuLmrDAKVP/uF2DTtcGMEPT9/joF4/hwT0dXg0hmfIH3IZwYavjw+fIbSz44Ps+NhvHl2r46WGxunA+UVITZsSmgsLg0NHFHB3Tfz/gyEvePu3PeSljFqKGiEARvTdnRdPCz/H/sY3PvLOQ0G0oakEUYplNPs8PooZzbVvYQIYI69e/ZSx03nySLghYDbCsN7pRt1EjNmRT22lkVyE6nWxGrCW32TzAlb6VlmDISrSnMiG5w4g0S2O8FowFzScMVpkWG7iNOPU5pYkaRoAWP49qZF6/TPb5llwldYGbqs1nCsXRP5ms6Et1C2ZqYR2q1M92tMS+nRY5nh3OGWhOfGDo1APT7Ele0d4d5bg2Vrp4LQc6SSmxjjGxgZBvjYZ15epuXoaK1g7wOYesSiAb2/JyoAwztpwcwogs8T5jv/VG1qAP7R8WlaX6ckCNyG1DoQ179fyG8akaIcAT1WZvkRq0EyW1wko41483XrsNZHtQNzj9jqFTxqqw9s0Xn6j8MvPdsP21RsaReRbBN4vHOmbwQPW2xvhPJkaiB1WeZKcINb50ecgCNZ1yEg39qivhEefMef66yepRhC7oy643+abFtqD1fgBAaPV837WXoO8TYrJiPEZ65TCYekpU0ukiyCg4zEt3/PE9KvkSqiqiyfpHbjPO8eqlLie0f7WxE77w18y0kPuBtnxPBjWm3PxnwpDSLiPjA4LV1grtvCTZ7qwgF32qaO8rX7/w+EoskS"
import base64, json, sys, zlib  # noqa: E401
from pathlib import Path

if Path("../dcn.py").exists() and Path("mnist_lab.py").exists():
    sys.path.insert(0, "..")  # running inside the repository: use its files
else:  # opened alone (e.g. Colab): write the packed copies next to the notebook
    for name, text in json.loads(zlib.decompress(base64.b64decode(PACKED))).items():
        Path(name).write_text(text)

# %%
import json
from collections import defaultdict

import matplotlib.pyplot as plt
import torch
from IPython.display import Markdown, display
from mnist_lab import tqdm  # tqdm.auto, quiet when ipywidgets is absent

import dcn
import mnist_lab as lab

run = lab.settings()
SEEDS = [0] if run["smoke"] else [0, 1, 2]
WIDTHS = [16, 32]
EPOCHS = 1 if run["smoke"] else 14
PROTOCOLS = ["black_bilinear", "original"]
device = lab.pick_device()
results_dir = run["results_dir"]
results_dir.mkdir(parents=True, exist_ok=True)
clock = lab.Timer()
print(f"dcn {dcn.__version__}, torch {torch.__version__}, device {device}, smoke test: {run['smoke']}")

# %% [markdown]
# ## Data
#
# MNIST's 60,000 training and 10,000 test images, held in memory as tensors. In smoke mode we keep the
# first 2,000 and 1,000.

# %%
train_images, train_labels = lab.load_mnist(run["data_dir"], train=True)
test_images, test_labels = lab.load_mnist(run["data_dir"], train=False)
if run["smoke"]:
    train_images, train_labels = train_images[:2000], train_labels[:2000]
    test_images, test_labels = test_images[:1000], test_labels[:1000]
print(f"train {tuple(train_images.shape)}, test {tuple(test_images.shape)}")

# %% [markdown]
# ## The scaled test sets
#
# Each test image is zoomed about its centre by a factor `s` on the same 28x28 canvas. Below 1 the digit
# shrinks and new border appears; above 1 it grows and its edges are cut off. Our protocol zooms the
# [0, 1] image with bilinear interpolation and fills black, then normalises. The original's zoomed the
# *normalised* image with nearest-neighbour interpolation and filled 0, which after normalisation is the
# mean grey: its small digits sit in a grey frame the network never saw in training.

# %%
# NBVAL_CHECK_OUTPUT
print("scales:", lab.SCALES)
scaled = {(p, s): lab.zoom(test_images, s, p) for p in PROTOCOLS for s in lab.SCALES}

# %%
fig, axes = plt.subplots(4, len(lab.SCALES), figsize=(1.1 * len(lab.SCALES), 5.2))
for row, (protocol, index) in enumerate([(p, i) for p in PROTOCOLS for i in (0, 1)]):
    for col, s in enumerate(lab.SCALES):
        ax = axes[row, col]
        ax.imshow(scaled[protocol, s][index, 0] * lab.STD + lab.MEAN, cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([]), ax.set_yticks([])
        if row == 0:
            ax.set_title(f"x{s}", fontsize=9)
    axes[row, 0].set_ylabel("ours" if protocol == "black_bilinear" else "original", fontsize=9)
fig.suptitle("Test digits at each scale: our protocol (top) and the original's (bottom, grey fill)")
fig.tight_layout()
fig.savefig(results_dir / "scaled_examples.png", dpi=120)
plt.show()

# %% [markdown]
# ## The models
#
# The original's classifier: three plain 3x3 convs (max-pool after the first two), then conv4 and conv5,
# which are plain `nn.Conv2d` in the baseline and `DeformableConv2d` in the DCNv2 model, then global average
# pooling and a linear layer. A fresh deformable layer computes exactly the plain convolution (its offsets
# and modulation start at zero and one), so the two models differ only in what training makes of the offsets.

# %%
# NBVAL_CHECK_OUTPUT
torch.manual_seed(0)
example = lab.MnistNet(width=16, deformable=True)
print(example)
plain = torch.nn.Conv2d(16, 16, 3, padding=1)
plain.load_state_dict(example.conv4.regular_conv.state_dict())
x = torch.randn(2, 16, 7, 7)
print("fresh DeformableConv2d == nn.Conv2d:", torch.allclose(example.conv4(x), plain(x), atol=1e-6))

# %% [markdown]
# ## Training and evaluation
#
# The original's recipe for every run: Adam (lr 1e-3), StepLR (x0.7 per epoch), batch 64, 14 epochs, no
# augmentation. The seed fixes both the initialisation and the shuffling, so a run is reproducible on the
# same hardware. After the last epoch each model is evaluated once on every scale and protocol; nothing is
# selected on the test set.

# %%
runs, weights = [], {}
jobs = [(w, seed, kind) for w in WIDTHS for seed in SEEDS for kind in ("plain", "dcnv2")]
for width, seed, kind in tqdm(jobs, desc="runs"):
    torch.manual_seed(seed)
    model = lab.MnistNet(width, deformable=kind == "dcnv2")
    run_clock = lab.Timer()
    losses = lab.train(model, train_images, train_labels, EPOCHS, seed, device, desc=f"{kind} w{width} s{seed}")
    train_time = run_clock()
    for protocol in PROTOCOLS:
        acc = [lab.accuracy(model, scaled[protocol, s], test_labels, device) for s in lab.SCALES]
        runs.append({"model": kind, "width": width, "seed": seed, "protocol": protocol, "accuracy": acc,
                     "train_loss": losses, "train_time_s": round(train_time, 1)})
    if seed == 0:
        weights[f"{kind}_w{width}"] = {k: v.cpu() for k, v in model.state_dict().items()}
    print(f"{kind:>5} width {width} seed {seed}: mean over scales {sum(runs[-2]['accuracy']) / 11:.2f}% "
          f"(ours), {sum(runs[-1]['accuracy']) / 11:.2f}% (original protocol), {train_time:.0f} s")

# %% [markdown]
# ## Save the results
#
# `results/scaled_mnist.json` holds every run's per-scale accuracy, the configuration and the environment;
# `results/mnist_seed0.pt` the seed-0 weights of each model, which the visualisation notebook uses.

# %%
results = {
    "scales": lab.SCALES,
    "runs": runs,
    "config": {"epochs": EPOCHS, "batch_size": 64, "optimizer": "Adam", "lr": 1e-3, "lr_schedule": "StepLR(1, 0.7)",
               "seeds": SEEDS, "widths": WIDTHS, "train_images": len(train_images), "test_images": len(test_images),
               "normalisation": [lab.MEAN, lab.STD], "selection": "last epoch", "smoke_test": run["smoke"]},
    "environment": {**lab.environment(device), "wall_time_s": round(clock(), 1)},
}
(results_dir / "scaled_mnist.json").write_text(json.dumps(results, indent=1))
torch.save(weights, results_dir / "mnist_seed0.pt")
print(f"saved {len(runs)} runs to {results_dir / 'scaled_mnist.json'}")

# %% [markdown]
# ## Results
#
# Top-1 accuracy (%) on the 10,000 test images at each scale, mean ± std over seeds, weights after the
# last epoch. "mean" is the mean over the 11 scales (the original's headline number).

# %%
for protocol in PROTOCOLS:
    display(Markdown(f"**Protocol: {protocol}**\n\n" + lab.results_table(results, protocol)))

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for ax, width in zip(axes, WIDTHS):
    lab.plot_accuracy(ax, results, width, "black_bilinear")
fig.suptitle("Accuracy vs test scale (trained at x1.0): mean ± std over seeds, last-epoch weights")
fig.tight_layout()
fig.savefig(results_dir / "accuracy_vs_scale.png", dpi=120)
plt.show()

# %% [markdown]
# ## Discussion
#
# See the numbers above (and `results/scaled_mnist.json`); in the full run:
#
# DISCUSSION

# %%
print(f"total wall time: {clock() / 60:.1f} min on {device} ({torch.get_num_threads()} threads)")
