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
PACKED = "eNq9fY932zaS/7/Czb6+kAmtWE7SbZVVv+cmTut3+fVid3v7tf1kWqJt1hKpklRs1+f//eYzMwABkrKdvb2mTSSRwAAYDAYzg8HMzaPZNB8srx+Ngkd/Dd7v7gfvsmmaV+lh/lf6P3hdLK/L7Oy8DsJpFGxtbg2DWfolnRfLtNw8v06DsD5Pg4KKZHkyD/ayxXKebny63i/K6fnGm/S0KBfJCT16XeRfivmqzop848tWME+u0zLqbeHbACArhhS8ef2BSk+LvC6zk1VdlJV27FNaLrKqInBBVgXnaZmeXAdnZZLX6SwOTsuUenUaTM+T8iyNg7oIkvw6oE5XVKE4qZMsz/KzICHQy2uUrM8JTFWc1pdJmVLhGRpJqqqYZgmBDGbFdLVI8zrBCILTbJ5WMvbDR3ta6/BRxC3NUsJElvMwzLvgMqvPi1UdlGlFQ5kCSowmsnw6X83QF1Nini0ybQYQGDcV4K4qGgn6GweLYpad4jPl4S1XJ/OsOo+DWVYJouhhhYc8l9wQDelZUQZVOp8DSEb952E3fYxRBg0tgdtascVNX54XC388hK3TVZlTqynXmRWEPW6I2v0tndZ4iBqnxXxeXGKANIuzDOOqRsE+vUlOii8pD0jmPy9q6q90ArOxbKZYX1XnCfX+JG0QR40TphNnTCU6UNVECBlNw7IoucX2WAfB/s87wd7Ht/u/bn/eCXb3gk+fP/5j983OG5rQ7T16cPiIR/Pr7v7PH3/ZD6jY5+0P+/8MPr4Ntj/8M/jP3Q9v4mDnvz593tnbCz5+Dnbff3q3u0PPdj+8fvfLm90PPwU/Ur0PH2lJ7dLCIsj7H7lVBbW7Q/Xeoo33O59f/0xPtn/cfbe7/884eLu7/wFg3xLc7eDT9uf93de/vNv+HHz65fOnj3s71IM3BPnD7oe3n6mhnfc7H/YH1DA9C3b+QT+CvZ+3373j1rZ/oQF8Rhd5tX389M/Puz/9vB/8/PHdmx16/uMO9W/7x3c70hoN7fW77d33cfBm+/32Tzs8to8E6DMX0w5uf97dwwjffv5IJYEfQguQ8EEa+fBh5/X+7scPjD4f1VQKv3/Z22kgv9nZfkfg9jAEt/DgMD98hP8aRhI4jCQg1hAyh4iIzMpA2U4MkijylFcpQOTbtCYtgKkDoErAZaogoxWW5UtafQktwDQpcyKs0zLhdcpkVAnlUqmqTpOZoafT7ColVnERXAUXxH6y2Yh4SrUQgsy/BOHxcXF6WqX1BD+Pj6NgWaYzWv8VlQtntIRnVxHRdXZa8xCIt5bXwUVKHUCrWc494qeHOXEHdNF0RtZrxmigRlOsr1bbxCdW84TYZl/zlykvOwIQbsaB4PAwT5PpueJlFnxJ5itaKz8WNT2rk5J780daFsReiKWCz1bnwWg6J045Om5mCZO0NTsGl0ivCIvzayq8nBPXPcxd/GMAjO5KGCfq09RR8UuwdEIx5qO4JE7E6J4XVcUzil1DuAQmmcZA1a+LVUnjK8B9XtGUBnmazioBd3xcgzSOj4EV/volA2c55j4WS5nniGHvXPHoR/ge0J8ffvghoN2IOEnANZunpyXYIp6ZAnneekvbq3nXRk9TknfDYNwpEQ6/jYPnW7ESxKTK/kjHz4nfJzNsGeNhHJxkSTXeL1dp1IC7IlDcqwHth7M8JAAAtPUd/katZsOraEB8dZnKc6m3Rw2FB1vSuNQ7cir+1U699NyZZswST7S3zrC3ybaeLFIlvKqBJ40S4U5pgtPQ9CsmdA5OV7muwsFUkHIVS7MDgWN+ARMOaqg2Ef58PEw3XmrXgSZ3EEJjs4IZgNL8/wtCWpS0JmkEwhGWtMTnBJmXJxaHLGha7cVqGbfWKtGzWaWo1sL1QNkQxgO8z4spf6/umAGa4+/NHNBfTMNh/j65wEZJWKcNH3srLXTqhMPlQh6bsJPnV8+FIxDTMtwpT+uIu3uWfUl5anRYJ0QzoGfMT3GZy/JEEyXJQd6aIBBEaDRFe+nvq5T325B+KekSmVJ/n/szQq8/p+9+CeWrlvyOSw4jh8DKlGhoSgxozB1Py3pSF5NmeCG67yCXsBCaOvr84PHm46OmCJb4gnBa2rXBTwZ7P70JlUMvkzJZTHhaKzRAhFWONwc0AVpgXk4Wq3mNZ25nD7jKweGjeXn46IjphJ/wNmSaHbjQtV8HDHxzsDnc9P9sHZmN7zBnLjKZnK7qVZlOJoaZJDnJREI8mBN9Kh/z7GRA626ulevrJeZPi7ym2QcKaYOnfSAmeb+ifz/Qupztr5Z4/lG5YRzog19y+u20olzQ/TXwVioJzsFb07rLHvdJHC3KmNnkYT6Z0MyCC9OwxiR3DQeEC4x5MqFO8sMDwZQrASjzhHjmvULTzlMhlsm0XZqXOeFjYhef8/Iko1dE8BNhBs6bXjJ03vfQEL/FTOa7ef0pyUB6jMoDYhWKXPlK/xxRwR+3X//nzoc3e1QuPHyUkLpDIAi24Lv5KlsXqRuEqZ+39yb7H0l+/AdJZCRwjVs0MDjN8tmkWqbTsF0bbJuIKPhAshJBevfx1wlJs68NnFAm9nReJDW2D/l5or+ZDUHY2/gT/qCd7fKMFTDS6dLpBU3gSLkbKz/TgF7hB7NhEluyGbErUQxpk8SMpawCKrsuVzkEiT+r+0QyAdFGVoYsUdECoPU2IpGK1sKCVNHFajECFUTBxg9twhgZEsN/29iVamg5JE+BpIil0wPannhr+mFswMVYg0lQAxZtBnFwGb2Cugt2HqRlSRBIqEvLy6wiGVl5DdrJ6nRRgUmipnSXKIVaqSD60t6QmjGEtbAHcN8oCmiTpJb0ndRTiKe0ieQhA46Cv4yDLfQflEerPHThxoIDbEt47b86KYq5yPlfeHNmcIoc/CkTGkqwf71MdzC88PTw0Q3QfBssVhXta7xhWuQJYiDFXxaKwTNq8oY7/pfylleX9p5Qanr/dztd7Yb/gYrrWqZ5udGKt+saKlPi8DouWVxCNSztf0kn1MkO9TC90IuR7Wsbb1KB0VqUPW8Yq1+HxcB0KWAaXYs2fkYYG34drh4GX7HFzx1sMXOYnCTTizSfhfrZoIo+G1TpW0FZHhjue09vTS3TXSiaREY3prqZXy3XwompPR63mbml+jZLv6s/jxXeuA1MVB/nGTGA8wwbcaXjJTKYk4r3KnjcwO/8ebyi9lptEHSiJLM/PfbnQ8s6M0JqQjEn8u2bk1hE7JHKBa0pUq6kDY3c0TymUSRMIsLPoeUFr395sx2LAkKikjFCEpsk3YO3CpH3wacGRo79SNU+/WIrSWFYAlGBBBmS3mgXOU1I6S+hjeatXtB6OpunG/V5mSYwRs2LYlkFYZUaYT6t6urZSUoi9SIpLwbL64hVU2oimVdiIWMFFWTE2m61WmL/pkZlo312Ynfgjx8+/BeJ/Cr/qf44S79k09Sb6+A8wSybvQ4sM3z/aQ/arYPXNkn+ZWwn1SW51rzimXQBMqWVpfP8apBVxKMm+DqREmFD92FHUBHbBc0+6k1Xs8R5MiORNTXr0hdMfGI1a6bpkXki/SLQGNGU5m+S5hDZZmEUdYfXWj4eSVuy/7Mlnp/SYpFCqMGYjNg6UpJJAzaQNyZpWqmz4EQUcFY2ZSk4Qvn2p10GtZwX9Z8t/HSlbtW6RlYncGwco0Al5hjsIJs1D4jihvFahqWqplt6E0bxOTfpARFJi5v2BayTCkaL1DH50aIU3pm0zYhd+6FlLCSuVg6dmcGGH0iHD54EP9Hfi3P8cxkHP0+KFW10v+IjgjkjYysCJDjPWEUqazXw9JrjYx8XtA7SaV2NeM27dopAVoZnrLiAssBdCJ4Gv8U4LMnxFv0Lz5oO0tuLyG/nvJjT9jK7VmM9rdX0qrYAZleDprgzrWY2rU3AnRsaLDoNYK7lKNSizJSvF1gQJOyDkUcW1595obroBpp/ivsxDFPnaK2Vhz+DKbSJlKeeMJWekZoai7nImVLHzkPdjIPfowC7QOVjOczi4DeSaeum5vFxuKSOCTIm58EG8EGfT3k6CCX8Hcbh35til1qMJ0uL4fvsKjo+dvD9ydItdbCimtTcAa2Cn6n+8Ci4CvDjV/5xfMwdZoMubVpG+aXd6JQ3Mxo9puOkKGdp2bd7XJBeQfQxVt3Gm+rDR85PKK9DpSGcU1VNJUMSpJnzN7fokooum6KWag4f6VcU3tTCM5x/NYUNZaG0+e7Cpk1JFshgli1C1kteBHbViEHugBD2TRBuNWshukc61DXHwuF58oWPrGgrM8terQRiH6DfNwr2tsMEDIp7/1BDLGOKjub2OOpIyJO1rJc0OJlAai6UWcE3QTq+CUajyJHmvpaPt3TZhp+3X6wfrWXqHVgN82i9WsfcR9gNR8fdQRwz70nUxADZDAvjWmwNOFA2h7PG+ICFsQiSsyTLLRvCmSaLnHvTMlvWrrgG4bFMIKYBLZUsOzaPkSbK/YQsyaRCfFCeVEZkF+EURg5pJ/EsIbRwob6yFBkFl8VqPiPwcgai4/W3jKBOLlI5TlFGhT5xbwT+8bEY1oWijo/5rIdk1ikpDBUfuvSwgoeREq3Oh+0HAjS3mxIh41wWyCU+CI5L9cqNAF3Wk3IEFiONjMpi9PMtd+Hz+46IKZYMt4zBe5KfAR4O0EKRu8emGP+Kpckx/2uWYXFZNdY0gcHIevJEfkRg5ufR4EuWXvKLofwfEXP3aykG3IoV7x6mttTUYobRTYt5TwcuWx24bEDgXX8HLns6wPvSpdeBoc6SdgDHonYWSO2cXijUk7JIZiybK8WHQFbMPY5AC4vxxtAgxicAbOIem+NGngYT5bDXV5bJXbj8q/3aYVuOAa7LOTy5rcWs2dfD0wqNIMQbJyAaeaQridhDYM8I93WEryjQF4wuB0Dw7JluYRH3YMuHGA3gZ0ESLw6Bh/z6RRy8jIPnDt5advHQU9tJYjV81NPke9D4YyNiQK4qlwUtd0goDJDkERI53GN3lq2sJB4z3wT3FYnFCDjZWrFb+wn0vybcE94jR1Ryuo0STzAf8RrJEHxZ8Cxq1vqt5B6xlPrxJBItjo1XFbsrWAwQ9TD3GHT0/wBuN+ZgnqooP4thg5g6cilBJhXnu43hkKaNRBF4wlQVdX/KZ0YsuxsxtyAKzXK2lC/LdEryzPy6h7mDmohqiGKgMrCe45Afy7lgMa3jzIPhaGOoR12XRXkxWcuPXa1/DTt2igjEv/KSV4IMLhN0AUfD1zx1BxvgQ0ev5OQ5mWdnOe1/NHllNX6bAKBg4IqwV7OcH25dEf8gpvdMpGNFQ0W7XuqNLU8vlV+FB1uDTSpP/FK+nB+ZHaAZr5V64eKxDs5Q4HC7WIYCTX6uh+kxVtpBp4vVPOSGnCVJeM6WIfhoXYQOiFiGFll+QQgD0gxfFeIk8G8HDqJl5XdAoQR7paXj5hAN0rZu7BN9xevWnpqt+dMzWz1G3wqdcKiiGQiR6hOhSYeDeTJQm3+19wKRf5rfcC0Y2XPRA3l8RLjB0VnvYPrMFl9jnugFukiqi/XdAP9yjatBY89bx47f9HtFfdmKG48NRyjOIVlWq3nN7nT3miYewpQnWa58ORaGBu7Okzf414wn1qeKdrUe3wzXJPKT04SZ8fC1gEPHaAmKoharohu9okHLI/EbasR4MBFmeg5MoRqFyMcvmCenwB3WED2nMgd3vUYQmQ8YHHhZOYCFUFjoWIuqQH3D2MiiTnTaRfk9dLdKS1jNIUDIBnO1so88bvyUDZQnST2Fd+giqYkxRZ3j69g9R7hv15Su+yNgGv1ZxaLwZ2oW1CG2lA21ozyBZgJGGsk/JAxZu8tTy+XdzU5eP8w+odPyQAOFzu6DTRT2sKh7itJ/0BXpgYrW10K6LJk8K2F9huUZVics7g59LGaaesg5lrvQHQeRhk2YiXYY+p2M5H/b40aEYWazToqZCmlNJ8Q4Jsa3y9i3XIV4jbKpNp0xNwMycyBJCd/4M+5Ymho5XcrfIfcfbGyNVLKyGz3I5EG2nrUoi4xkRQrYaiFiMditZYddFYbAYal7/qLMelX76PGPcxzjtB3qea+CMYCLIY02zNums9hiufWY+eXd4oWLs7ta6NE4HZcAoi3Xf2bkM18aET7uAj/stMASmqJk4Mp5eqwf2jOts5J4nD3PYqwm+XVYuz0S0zz14PdVRt3gOmJhZ49fbUdWiVlUkXc2Bh/707RMSbsYmd2C5XP2s5OJFzAbsOaQWrQ6pfLBPK0qz0wOypRNIDSL18y8g0ruNMv6BgdUYRLyKo6xfgVzipN0TlXvPnwcYQjG/laJAU59U3F9BW7RNH7g69N1fU58+a2elf1bek8zLqjt9rxyyUVbeK/4nb3npgbJcjm/7p+lLkhlEO6KiQ1D8yjMLHDwTnZPXNVG4RwFqxzWCnNeGpwsFuwmZXVNTxcl4mIgVZ1cV40uKhZLtkKatpYkHxW1+pjKmQl2Dzh8GxWwcRvVHUHMk7YrKuD71g6Cg42IR+LiHy+e8nNrk1JUsFELi6ywSoPraJMa7jMRPIdtNUDkMoP7u+1Fd8qRqJQIczVvuLxT0qvonD8EGBOoli/OeEajqW4U7mZ1sGkUcHH2t28NoQzjoGGp3IWmD1Aaaf3QXIOeNobmr6+NtQDmzqA6EL2ubQyPXPx7a6xBumE8s39pHvZbx4lEjDTPD9nY7Dpm890dM/XJOYiErZeNfsQNw94tMApk5SkmTmlodZqHcI6uih6xGbTdOhPtkVmbjdSiq3dCMH9NCSNKHIFXtZ8Oj/xpVpPtYhGuXSkuY7JMUqeYr4h02JwxL9NCx/40MBw48ibx+HgdAxYeG5E2JnaegFA+27gsMyCV2cxlUs7EsSaZ87YPd570khid7FZVo6VqJ4ghwu/dVtabPvATtNuGAwyuP619EFAyqMyv5IoKZrVMV1WqGwvAyYAem2tHpordXp3DcB7qY1tEr97QdiZ3GKs6XZIsd5ZunCasm8vtJ5cwuvszy2hyeQPOSn1+SoNgD5c1nK2SL2+oBaBFhPLrPyo4o0xJPz0vrHvSKYYCTIbT+ipuZEu7wHutGl0jzINWPQtghsb49sCDd+oGAPVzYKV09eX2XlYJqWI0qokhknUbte1K1NF52iRti/rb+1rE/kdr6RhHHxKHpulklp2y6FZn7Kdup6LpMOaC5cjCccBzsHjfiIBcRcXMnN80tRttyOKyeZkzWqVpu00120RT0BiMbWF5QEKFu4ReNYLCIrmWY3e+MwY7OXw06QdX4KVGK4mheJ0l8A0L5Z8qxfN3u3d+sOtKxXKMjl0tJwybheyDraORr4DoEWDDYkkEUZFmHZNuoafhxvZU3PJgawEGbzb1Ym50QEwir5a4U8WWXbEBy84jHQAuq9ViIUcK8spIhH6DPiaa5q3Z9Ym7uUcDghpuRvdji2aeOF3vq2EbkXpxjA0oa/agBrddMdkbikvIDf60hTbimglRM7NRUXSwaxQ3Z+xthZEl6IeNuumy0GTY6v8Tu9Uy0qFYpukSp6fOvcD7p2Fdq+2FYdvt5al+GUeF6zBAF3jcDDB2KS1W07YsvJaX97/RroV9xFHjmyMp6xp0j9+P7OLGJ/zFxhvvzFFcwsW/Q512HPtT5HmIi9er+sUak/iEZcfwHkd9vxOJNahviPGl1o2UXYeck5Om+XuNZNQ/wz48pym2xnzji/ceHffhTJlJx1fqbtWJBT1+Nw5u0O7tvb5Sswy2RZxynFyzpZ46D2XQ8aHyeFeDEFUcJ3eaArGkWCf4hmR+NUu1MBE9CBUj1S14YPSluRPhjcDurTdrWvNvHKiC7NuFeNCsI8uQMZOhjPa+vjLAzqRpj+PIQ6vTQtOpc2OxP28s9liV2Ao27MrEr7XGe7x8GgxVtTXwLlvwhh68ocC77IU3dOAR0qSLfw+GIO5L8+MhPGAUVMuEQ0+wV9WNnODcCtma84Ib/XLLBzq4j2tvF3BEkfvIWfivqpU34RqUPQWNrxk+TrqbGekYs+Gxf793JDVHz/O7vCajvpfjcbDpDxG6TseX8WBrdCSE6dmw/lUXzJv8dp0TJr24ORf6DW64ldt/iwvm11r8mZMwJ/VqPmjAoxZT7GUd7Q7deA/8S299AouMlk3bDt/I4w5O26bte4bAjbVn7OYhgG89fuP0TAbz597Y2Dd3L/68RsWu4lyBDpur3L4V5Vc2gtwRrGOWyQEBXy5hUSIU2Yqf/uQdnmNDbphG47zm0r3RKknHGN3hARfbgCv27L7leyVAxU5wL8godk+2bXCTVxhWBR/+3Hkv3iWtg7QH9zsxd0XWuIyFqxyMnrX/xgbWCfKR5wM2i9n5KvUqyrqoNV+2xKI1K3HZDOZ56qyZV3sdX6fV2reOj68PsKBICj7iE7ekOiiw7ZHSMLmZ0hhvVZA4KNiJ5uJILSOodsHVngRXB+Jhs9ykmsvJBc76ebZtoSNzKUWu2x0fm6LiM8ExrdIzmoBSHJg4KEUTMoT5zPHx1cFgMDhy3Cyc2wmhuBGZow/4AEaD4CN3Q9xUHAqYFotUA7VcFtxC1Ti38GIlfffMu2rlBrpR72YH4Jg3kSo7WxTZjFRcvk3kxcMRu1r6+4qIi4aio9UQPOu9YiaNyyeNyv4aWXfSabFio+IJwvF4fL1xS7nv5s0aF5NYzdKWbhw41m2JzW+mPEdSSOEHog4TQ3VBZ6cOvoEPX4YWWHZl0Qloe60Yw976nohHDbMLXhTmGKuNY+IkKRtDA17fphdeqDqJQNfxMjJbrkW67jyGZHDl/tL42tJcYBpmacUOnHbKvGloSGfEEWh4tUpcu74ITbH02ZYa0v5aiJba748j/jNByJdUq9oajpkVwZbDrulRvM51J5ZTviSX+7Fx50YZ30atC77PoNPrXzYO73UFa45I9rCjtJ3B2r5gTJfub1LP9ehwrTOQVOm+cMYjrkJY4r9O9H5di9Ck7GuYF9SrVa3/PtnQXkEcaZVjvs9wMsWhjVYnPJlpxfYXVjRxsx204cUAU5ZiPdkcV++13ms0fV1aCcJ2fbEQSQMul5oXZ9SdKFLm2l4tqombQ92o17jPlheak6yeTMIqnZ/GLs9S7uAzLn7Ud6+TeObzB9/ttPxHgqfwvXGtciSOlf0ulO5JgTwQ/oGQB/BrZdbQ096TuM0LLAB3LSsYLOm1jpd94PXiiBi2xLMX39s2KHZFWxEdhNHAot2xomEGBs4EsFHUjRXhbSjQTu1PK+ZbOO60dQC5LwHJ/d0FZXULH4iRGklt0uA4nT60dJNWJ3zvGRtwpwcaGCAWnkYhiWWrpFUjD/UXi4ZhCy9x0MKajeRjzzXv8y3q/RO2seavlH9vS3ePqIW3Fq172rUXx+Mbg7geO/EdUT1CCd1xG/UrpDfu3KC0/r6NugTiMJKvvHJqQXyFb6et89Vum8aC3MRasWZnxCHpItiYhTTgQWhEq7gRpKIHYf2xgeRHvIn7491YCc6X2FidVkB/KW8fR2v7y86fCoMFZwfFsAuwv81XdXxs4UkAEytahq292pjU+f34Rj57estdatx0jVeuLdNyxuqp8hDPXlvNUxOwQTiKQ7us493b78zrOspC2W4vAjH3dZ6aKzcsUhu9Ri8tunEk2xXNfjx2prGJ3udi5Q7OZNbD2Fs6sdn01l+TbG8DrAqOnSiBHhvrM+NdOMEwcUfRjH3NHKkUtb6NB8Nna1kz8XwM5p8Uc7uu0HVHq962II2Pza7H7cuJ1vrxkQpqAtGlcHwMI1eC67xFnT7ZQ4Q/20v2VMlg2M4qjYGteoYemb5ifc4oRm0tXARQz12tFzG9vXc3dsYemGSbWOK+2e1htgKg13PX+ifkA4x1wArqJOR+qYPswwqzEG19N8TnrL5uJkFPrC3qOy4sekTaRY/UvAM0mm4At71qHtIEILgUk17VZTIp02XZwG2CNPEsEjljx2+LpLCmd8TLWz+a7U2bDd3GDVdvGNGtSzU0ix6Txl6zCW7c5uTBU+5Yw8Vu3HocmqsL1e7367awBqzldjdezV6wykcI6HAtPF3uN06FXliu02sfMMBiXiHmzR4IPnO7s1NeUe1b+9jAawArq7UbrutkxxL7qEugwVPphwlDduPunjqHxtd4Y8M4mwX/B7Z2qwWnV8t5Ns3Ap5iSrDrcDmYmcSmMB1s74meH2xonhuaOlzYQjayk9cyKarBf5KvFCXHJV5D0itmskcfYzHZS1HWxeCbh9U+zsmouSivrssy9qbiqxUjL6x5uRM/ESYMNtTkiqcEZtEaUVxMfpmllEHxqi1j1eVGljsUvWC1hj8050PqX1Li3NjeRqR2J7Fmm9g64tbUM2jhbzxZYPFVctT2yNNaioFuYxz2ABD0tOIKHcXAw48NVOVvFNjXD+QhtU39ky7AlCrUZXnTU2aMYLMS7byRWpvzmY9Wtnv1KbGi4qUs9Dp1BufXiwD4QwFF0J05s0WfPUNmCws+uM48hXAdtnt1IJFwutXaxtLhZN5ilNtL1VXygP4wcjey7bjCQQAUurCxQQieTW0/1bPkCGR3teRy86O/CXY5BrlOQWCy/1kPoK72E/q88hTzMqI/ic3YHaAsBX4cjPv51ao+7QkUT2CKEH8/G8/uO6p3j+ocjeC0DwDZjmSUMvZXmq2ENSvLMyIBog54j/UyQ5sXq7LxvtXUOWQIjytzJzUTH8BebKyRLZ+gViyh8LpdcZZVhSN6sbY2OHL+4e3gVMP3zr11zBO0VKdtIqarDCa1LjYtYmG+sn07wd637QKuSco0bDOcWDgwsMgah5/jD5ovbqNe5xjjP3EsxSjVqhNcB3sgnNXifDLtONIzULcFyRhWlSF9i98cHihJtwb4rS+hp/Z2Ba1hJw5GBvSrec6qil9Yb+JwNRA5S+WTW5nUQsvdzPRgtldcGPb3GaRMkF7k9SPrG/Rt6S2PvF3xdfcZRC5W5xy2NXJXwdul2QADrGzxN6vDA0cB6tU1957pqs6TeBaJeqT0g8MYDAGRja/cvQ/vurVzTWGz4h13Q/Kt1wbc57YxVMWdrVX0+qEiuNX30LRF9fXVLHEm8pmFXNDAtIUTKExMFyj+XcheEuSyydh20deUmQNM9J4hffXTYb67wZBn3uj3+rHJzfWvsiQ3EvZ83pa7s21Ve/b5K0z/SUFh+U7+JetOdNHUEl+60GciV052r2NlYpHhHd3HLiyOlf/3+qnGqXmePiNeYEWLXJHzPeca6LUh8wo3y5+p+PaSGbe0ufBarxnaijjIF+78bM1MTKkacqdZRoeNw1SFFdUTx/JD4irZxFzK39J27+9YZBXF8xeHKhoTymG/La2R9PJX2CohNhNURbhGNjnWd+dC7wTfwp+Uyhh4f81GC3PoRqWp2Z9DVA05d88o70/Yb8aPRvnJwg7hXjYeVGynL+Fn5ByiSF45dcvwmjo97www4wZIiDYnq5zPSUEjt0LRM+9Ud+9f97GI9I2gzj38PP5g8hB/A8yoORkP8dbciN9LEHYEmes4Veg4UWuvcaQa3dnqiL0y6AcY6MRfUvxaRteDtB//Rsx6f0f6bK/4dQOUormOlQB/3hhiUORiz/6m5ENUdReSQ2rghOs9+dbLK5jxB7LNmEzyJvPW/t1/9B6/lzg1NakvEpelc5YlRYx7CaYOkSKuY+fVl4+lwQc97UVgbS4bHx+J1QstXTw5iR0iUAyJmlxIGz+VOu3Vl3ICscx13GiGQYY2a0tqVgEbmGEJy1TmMmD0tONJ83WSec24cSgo68ReEO9QA3jsydrRRpho49fqyKGcbJnR/NWqcfIwnnuOxw4nmYjcAtG5hxNzZadhe5kWcNBtU217HM445j8Wd0InooX3i5JfIw+kMJYQ7YvFHqm6VGqiBn7zSmN2XxqfXOa3RMxZhu9wvzGDkTQSyXnWOsb6TLHNexi+/Sjsv3VASfyHg3WaraCsjXJveBg7B4piHk8UpKXTzvvm539ZoGmwJYmDmdMgO7X57CiOjbWhy1k9ja+IW1puaXOGdg+ZJWgaNm/cAW0oXgOnWYwbyGHTRDmPvRBGzQTUfYlKxYe/NrZ9O6276Eyckla6oUD9hVrAz6pU3mRGJLcnRmndY2qOn8CNv91mvHPUP0NOYtIYNaGEkW/cE0Z5uOxKxCQjc34Qcf3vF8cTls44myvq0L6y2CEGSC/YI5gMECbnrBNOQXHtMPeaYnkb4epfThJ573t8tj4d5/fNf9SyOe3q6rpd9LXZfdDrPDFBKGx7dVTv0ysefe9fk1/OCli/nfaz+5ERmvWt4xB4mMUcJR4QVk3LJmaNVfsEpJSF61mEjUQQ3PW5ph4+azVN+mxw0j27tJSWFeE/+KunSLbOoVS45Mmi31A4ENxUiRM1CBRbdvrqT+RHEBoTvlejKGaXNmfPIjXKTVZPnV89DJ/9bS9hipMF1aOSFX2nzNSgFOIRwozT3p8pkEuEG5JZJjFC/yFvshjRFFkh41h7dGdXU6uqcRBj5QBsIJq/kgTjo2vEcSY6xhwH25UwkqBRo7f3fT4r3OdWIZE1sMha90jmLmU1wKeOfzSx1/UWo0M1SG627sKF4hb3f4pZzO02LBW2JqjAyKBFaK8nlHiSnyAcgk1U18XwUsTozLFnqbRU+QIXAm51CysvZ1orsflIctDZH7nOJdME7Ujo4G7SVX2QoBad6LsuJv784fIRLNqeSE89JIfU5rT6k9StJK8giBDebNG7uLfi8zp08W/6oDLkcH9sfobjjisilNE9dWWbIaWB0bdywkKscI05jq+m+YpMFqWqdx9LTN68/kASK5PWkk12kjrAzCLaD4dVQZB7NkZVjlk+KVXleFLMmCbXk1k7kAKdsXVZFwMMV8gFViiYisr9d/Q2ReBaageGMhepWTt2T7OzMnEWQ6ET6r9wCePF98JT+abUiio497MIUffsiojEsSfNmYZ8aOW/UKkM73uUTy5x9jUU5X3HaWVlBuJanWSvcXZl3bnw6HbGWwaR2y+tTEhVzjKwB53LnlOoQOK2q2+kSV3dmGppJDkozHA9Bc6rC/OL0HJdQI8VngGWFc03aYfKkI7EbJ8QU+fcsQ4a3dOZachENz+SBk4scZ2ktBxfVeYLoMiIjEOkLeL6qpomLs1PmDAz+NMnmfINGOzj42izKf2t0qud3Z1H28y1LK4PBoJfZ3pmBuUdXey4KHud+NcU0s+oYw7CWJpuSeX3uZpukectN0tzS+gSmSd96Xz7v+1qEfcXkdXFS+Eo/jnpT47X8D5h246BzX3ON3CGk3qMVmn240Qq5aJ9aaBRTKcByb49W2lEETeNZZRhN4jhPS+wZyQZwkjo0q9vn3fIPvURWyDtUcumsOwbDm9YI7i1veS3c6y7fg2cLvEE1aAHcTXYqWb2Cb2YBpAzyKbFWbCupFuBYiMr87rpgtBLYLqXLzKs5/bet+W8eRW/XBc+yuXZu7uPHVEW00Ba7h4IbcKZTBgT2vt6dvOmfvHM7uF75X5Nd24TZtt0YO98JxypN6/1wFe500pgIB+iZxiNKq7BMF8WXdDJbweRNMDS5wIPpVHaBccB3W5x7RhPd2dDIrSMhZlUlpvaDZZcmuD3jT8SQjzz60toPsPlYiDda51aENRJvrLRmLjIyWhqS4a3XwTn62hrcwhlca6UuupK58WaDDV727ZHI8ez22JHjgcxbDjU8C60kCLOSMqUFBzyETbx2s3hXl4kG1Xb6KeNsOjvq2vfkTdfCx7mRZ83r3O2/PwHUS5IwVn4cOERfRi8GfHe8gkQWIh0R4to/Uo9ACQ/Qwnf0EOh9VGkXtWkaCuEyUGy4/Vj6/biTL61r3lvni87mx6J3ed3nSm/ReNDgF7N+9/bB22OfMUycjabpsg5Cy6piZz1wfFXOb77Wo4gpgYtEbDGVjVBZkKxt4lqj4IbL3DLi+CwGP41SrlsmyPd/S4jetvxAKlwmCO6oNxonSPaUzdEbnvyS3tacMimUiW97ykjneaEfsezWN0ntW1F1UtelslUShCeWtYROZyLtStxqxY8la941pgtVOvjeh6oePYaLeTkSV0XrlT4vJwtWDvkxLukONpmHsEEDFinfVABzxSL7gyR7e8XEXhNm3VUkeQJ1fDwvcYgjDT3rnI5IieYekvbEOa7HwY6vAMqqNKEl9BiqcoK/Vs65j+ae5qv8i+QsRYZACS1lEg448WA5rgkbBNhMiWCvpKudcCgX6MEzVw/mRs0JGZF/8NtqsQxMWi4lZwKyUa9g8ITajKFl0DtLq/puDoZBNUdoS86FOINl75LmPtUQHyQwJLNkiWy0qpZ/2UKkznMbKPS0WMlBXFtPQzLvj68/Et+vWYev3Gi3GAGC1AQFa7+zpE6CcBcYIk08+Mfum4jP1OzhJseBQEYlhlF50zzPLiQ6RMtwMCtwOVUr36HtHh8f3OBGIJESjmcCDlrCxpUSP+dQeu8u0CGgW7XHuI1onHvQLr0sDA2T6JTML3GsR92vJESx3ugIHVU3XSzra5vBsq36WFt3xXlmzL0rY1XwzOMiL+mZ4zw9rdnj5j5tthPwBkptj+7q6Z+tmFk+Z8jZc60cbw42h21WQA+HDpyDeZrL5fODZh6OZCuUNEBZro0dQQ7xbuk9ZXNRKzrCK7OonzZHpqpFwincUWftRDV50vFksD1LFr+GXmjSHsXTH1bwwzjYfFAgMFvDyOw/cJopFsv9Eq5srm+yGcu3tA0sBUcLa7QZGCk6eoAU2Kc+etf3Fv7dvUX74l7fVb1GftFjvOaSoG7C9ry6JXPLANwKLNj4hz9H3h7VWtgOsKYR4IExpVJ8g8QWE/DR8TWQ10Pt4RyH+aM4eLTIae+jDf1ksLymko+aSPic8W228f7D7t4+5wovMwjYtLNYr5OTeTG9gOotFi5NKE/jS0+K4kLD6GQwR85hwsPa3/cKTJMScZSIlSBzLmcpEN0DlbA7SB4uYi2zaU49JG7CnsG0KbKtWYLRzCUIWfC6oHG8OsyJB3KEcvw7sY1JdU2DyyDkshG7Q1TiJML9R8M2BBBJH4gsUZRIdWgWHkt4k8npiiY/nUxM7iKWDRNNCnKY61MEnzLJjQiD9sdlUmKTqhQc7dbn8+zEwPpEP/UNyYBsMJQXb/jgDBJLHDTR2xonb7055nRAAvl4v2BYMjHAcTerCt6axvDatGWjqbPoxUze9Br+ydPzifmpCVTMvpEtry+z2Rk7Nta/zxYceTw45ZzAJp9HjSzwJwl0PsgPGgbMgK8y+NzRVNAKRJiKs5zUOcuApKsWsBkaPXDGTSSjg6JvFn1tZyQq835n+0Mc7O2/QY69wfD55t9i+ny++d0QY5IFYGSKDTBzDrBe1dm06osWdZjvvd5+t7MHtlJCagk3By9pA4AM9CTIYnPtK0NFyZU7HEa8oVBBNP1tHLBb3XDwknqH9idvdxXi4SPuygaLedVGNrt6vrE6ua41BIS8pHWQzvnl0L7scFkqPNy8WAsI73rgHDVyOE5fJuK7ELIcLbQlTzxJ+vUvb7ZF7Fzizjbk0Bq/cDwBWfX9p71YHOuAyNeffhm09jj1iV/NEtxhSr4kmRinolF/fjDtBFEO6rhWrzPVTTSMtxxSsF1pIWfJEl+nE8zSKz6gsl/bkYUTeWZNV5cr7/wXgaMmzKDDsihqPQLmGZaIQoJ0/9qod3dbsCgU3OQKH4mOULETLkKWf4e/kapFSIgKLyvaP2T6UQx7S/3tCyu+/VKptiHMUs4/jo//jn7+8IwbfFYml8+QbMObdp5kiP8YnGoDocTv4CS/sL735CzpZoczPaFWaFmAXTKSkJJVR3z4iL9TAQPlnFMxZGL4gzk2RO1nrAgjew1hGru90c6BCmf1RUZscG0X0Ciq1N790Khm+rQacHXumE7cmP+NLQrGnGXX9sukfRKrxQ5/sEu4sVOAS+SFxVUsezAywGRi3SDG0Rb8Pq9y7Dxq7c9b/glCHUrvNOIbwslAUwiSrCT2fz6n1CMA03V4cavZg7SoTyuxl5OeVipVtA8G4F7xOA4eD34rsjx0MXuL8Jc4Cqd2KxzQ4Yi5CgZnf0jCbOzWIkTwKyD8zfb+9uTN7mfeSnoCIVNjUkNqI5FxFTSEOei31PCy1NnjWXR8rYeRpCEOo8Es+xJuvXw52ETmcS1d4/SXpnwKcSR0lnGODWdOon0oy279DRVtX8sFGwF2JlA07U1uVND34AmkwHajgTbim9mNkGEclXDMCotI9iXlw3G2TMR6l4Bkf+iDmu+sdI/BzTpD+SF6XKbzFT4XydWSeNAWvvPtj7tePndf4sGL9oOX0ozz9GxenEA4waHqWRoAHh6fTgfBbnOLoeFfscE0UdArPRLXMpuRDSrysGB1JL3U5yaWG3KVNRh5WDC3fylCG7dqnN1dM7u+6FPHubBMjutgO4xNpTU+trbelldPKz2w7vOvr5udurjsiaYk1NE1+t4B3gu2Y27/dC/+eE28/D9pYl2IKDOor0RWp8f/ykSdTqXiO77NYiqyF7Xj1J8mUGYqpf8r/wKT9a3qhoZpOI5kzIG6JqOVjQP9Nj7qsgZjXpPaDRK1/wYOp8u0c4vuiu8zEjuZMD+ZhW8H4A9hQ/bhVRTFXpiBe+tsdetwlyUmerv0c5T2S77sL/kiNGCiTnf8ki9DAybquojeyBkn4EB7N9/N2edL5/lLfS6YxVOd8vBqsEiTHLfex+EWXP8i2D3WXZ28uvvapHtf1lLKVXTQNOyoBX8UxaK11Wn+eGuQX5ZFXUyLecM1T+YJoprZbPDrcvT9/wIJtHvF1+SkEBkkK4MpCZulRjvmpmEKzRsnu2mSf4F1zskguXC2DycOdrdrCIJKQk5FKq95iPymKjVr59jQDnemE3ZfkhsSDCmAHVliodCvM9YQB01rVovkdrxwssaU8RhNo9kURoBEXbzEU9CMQRxLWWUnYWwOo550SLNFO706K9PrINw0BwogG5Yv8yqrr/uE8cZQoOIuJ0ACK62MoL4L+XRZiC8YiSjpvTUHtBFpZd8ysf/WTEZyCkOBCU9HivM8hVWXJeu8wlX9MeZg80jJbcz/wjxFuKJXKEr/0GugBFXdw3yhSAmd0J7y7lJohLr9twPpWGhmPnMHP+6gYvDj7rvdDzvbn3FqKVWjdR1pqKHbhabhtoQZ3d8HtL+zt+90wahT3XCLpkfGRtzFj0SFbDprHTukpsZaNAxC/OS7J3ZtniHqZ/M7XRbTcxMpuEoRS5m/qsHBU6c9cwdf69WgwiLSffvCOSDESWC6QVvoWbJYJM3DzcHfALyaNmxKGRMfGHKxo7sE7zKdZkiWCxt+HOzV6fLd5xApGCUUxFBbZMk1SFZnsK/yFA3M8ZGsxnmhSRgZAw5zAhJwAsQH/szczlenp3xdmFmHOLMzrvRw0A/Lp14S1qBrnT76lv1dJxRh12jOhy7zUumqwr3q1bxTeV5O7KuBYsg2FAddZI0FZXqsmeaScNJC/ck8ITl7keSrZD7B6JG30shp0lWkfpNg53pvIzKZHaqK7QPGzQ/WAPbZgXkxFHudUGIk1DHGP7IC5Dnon8NVqcuQm8AZbNfzlqRpXYQ4d7JL1w5qbL85MoKJIkXcy4/jwkTORwDsLyvRGRrKb7tgXMUBIn22WccB1ziKHPyYhaivnDet2zSgUo4+UdK3CXbgYnktlMGumdetCnaeOR6i3FbCEUVdTHLSnPoy0qGNgc1LuRYeyKb9VhD3dCwwsjrFbeknAVDPA3PFZkuRbUBCHUi4jeCrAvJZ4Eyfb+CT4sL5ujEEwAuT6XRVJtPrPnbI8vR6dtjL9np43XBzU9wcmGH5/KpYbgxtHwLNJtRciIBYo26wG410ZK7Vs/e4wyA6Cyv9kswN9qZFSeyQ2WqzrpgI3UBDVZduzcC7b/wMpAKe5tdQnNOTaJCUZ6QQwIYzXa7kmvy1pECMlBa8iSOccQQSA1bmWDri7GRp/iUrixx8O+ybjpb2VJz8lradTP4h9zrk3u45UTVRNk2jCZiqGXTZojbosYguaU+H/GT2BPfsQ22JfPX2xiZ0MD2cTPRKyWTCwamnrFTgnK31ZskJ7/HSNDaQR6ZY2Ao/TsB49KyO1GXoJpU45+ujTS/gHJSvFhN9EXIpOyivTf3inN+6htj1FmJFwkErE8VRy2brjNozwu4y4J2Wl9gyqSors8kAB5KAFmKCHDqM2u2fwcB/1IT4wXEGECD12SfKZ61KjSmCDRmaIw5Z85FbtSgu3EtVfHNKL049gPA+r3ILy95hdyl6FOy9//ifO5N9khPHQ3PtJ8uvg9e7OHmNGxss3rFtFUJPUdQepXI/4ZxRDRQ6Bh0ePmrAy5HTJqSrJq658xDBnRiKF4SBH3mIIiqXh6A8fGHKTupkMsv4JLzTBzMEaQxFqb3WWdnhI12FBgqfNtinz7TJppfcO/ueAN4607ci8aUkNhrqa3MX0tOJm/mr5Xi3mUtH9jzyZ/TGXDpg2wrpiIQOyI+8jNJyg9UhligRJ5UlywIXY/i5xHivZ7w0jZrM8eHqWXV7qyUhSHqTi9S6CNLl+zZywgQdH9E9jumJ8H3XxhI+NjpmXhXjBgU+/ml/Ivgob3Yqtje0MxxTKwMiaHXECkNUUA9mUvnwi/ECj56YpLvI7OIA/zQ4wF5AXyPl9fhqPBFlzq5bg7xIryVzMjvJagewl1TeaaAGhDGLXs7gQtQzoc3lBU/pty9cMaSGl6bUJ0lkxsYc0mFXOWyR6UwEJOASHQbEKPghGOpBKgPla/qhAWESjLomaR7ZAY3lSHYJQzBaxxqRNiESsrN85FAKffiPQSDscmJ6dOstUG2vWQ5mZbGn3v1LooklbQKHvE/KC3YnrMU4D+5ADbO6JAS/nK8cy4ZH8RJXjgPWorzcg8FGzJTiczFLA50V3HTUpMhMrznujVwV1poIZX09nieLk1kSXIyC8OIAZ6wXmhmTdz0Y9owIeU77YSpa53/rSP6bvrODNn+TYzQcqi1ug8uby1t6zl5YyMdLJIleRFrcjAIKOys3Ah1T9t8G5sbGBgoiJCNmz1QfRo4ilKk0Bvgp7dtQT9LwgDpxdVOZDlT+6hdk07JD/jj6/eQJJuLJEyxEV4JL55xP5oCjgxu6PDp4jNKPjw6yo9Fg6/Q2OFxtbp4MA68IkWFTQntxYXDgsAoevln3p0DsDQ/nthe13KMGg4YZsDJtZ9fth6X/I78Ht/52TpMBXyJphLsUSdxqPD7MmUx1lGABTLE3j5/puekiWYa8EXBbUXQbaKOOY8a8qCdWs0iu4qC1sJrjrb5F5hxb6SozCsKXSimRFU5EG5SYAlAasJYUrhgtMtwtdsZxQgsrFr8t9Bi2vVnRivP/NatM6Ao7Q5fUGoq1eyJifNUJByFprUzDtCN/g7rEspQR3XfxgQfc4vDc2IFhqEcHow2f89azdTWYt3YqCD7HQXI1wPyGhocBPiJKlRdpOT58VLD1AUQ9ZtaA0d8SFtDDG2nBrCiCzwvmGz9/DjUA++jkJK0vU2IEbkPBBjqu35/Kd5qRohyjeyzM8k/sBsl8eZ6MNwdbL1tpGe6VDkxW4fU7eNwWH1ij8+Qfh156bne0sdiSLmK5BXP/4MzYCB7iVFwJ5knVgEu7rJXwCg7lY3bAEX/7CJCvbVFfCQ+/4dd1Vs9TTCEPJrjhj8YFl9pDQszQ9ON583yenoG9zYvpGOczl6kch6SldS4SL4L9jNi3n/U1mc/ZSTGoshxXojVEFl/GFgfxanDP2XnvwbfEdEOmzDHDH9BuezrhFJU4EfeBwWjpAnPNFq7zVBcOqNM29efHWEnLtHP0KbEDRaT+bthEc2wyBprYti9Jrss42n8rn+2fGa6lLiT44EQaD5frzwU1lKrEWixy65Si8Q30mFDStiKgqg3KuPXd1dZ3reS3ErhfTu34zgvOL85wz8B3QBnoSTjOrSRMEy0dG2FbfVqqQiJiAOdwa9m6gj/KBg6DqwCXOt0MAiNSaocvroYvtBXa84OMCsAY4HdyK+N5pY+nSDKlR4z8E3wAibMwcIawNBAYtMo2W0sA0ISLS0m5fp5iob24euG3JcBnwMQLLjl4KcHfaPfncB58ZsNDzYxzE1jrKbEQPTpb9pjwdem8YNuWwnVZwp6S5yemzrXZoffP04dQMjr0wR7W0p4fjHC0Nzq2ASGlrpPxUx6I1853ONuN1uRLfiVFg+9pIAkN5ARY4cX3uPICh9IbDjyd1K0j/Ha5xMTpNiOSdBm46k5tPEegUVb3cKhMH+aERCO/mC5HXiDXeUEIYokH7t0j2zAHlOQM23Jvy3Scn2t3g2TQEP7LiYuZ7xkxBhiUn+974sR2WEkPQRiosrJbI3If+p0wb2ykoqRyQyjYKEXqnOYEwbW+Ni01rhPHgwN3vWple9ZkI7+vMlJPcQnO8ZIC9YVuWqmYyZBxWvmOJU6YpNb1FLlg0rmhIir1fYEF77Lzt0jemPsN0+xa+9H3UTsLTGDiODFK/dXayt9uNiOmEAkPc3wMoHArIPqNgyZTC674gXURc4GjnL26kZpUHfV5iawEQqceRzY7XEPD2liCtemwIydEL3IAc92BEz35+Dh61YVhtALcIrQgjKeCOX8OaEbkngievmjC9JhYqC8Ym7IzXKaywExTJtCyttSNtmzi3lem2y9a3ZbYn+YOHAzorcjBx8cjwsUV/R0Th3AXnrme9OKx2Wv42BZzgX2TI8Uulxy/x98fiAcpL23t2Me4gCmWhOZMJjgr+HxYJrFxgikQ5RCTr7GjSmmMvWbWEzsIqMl23rfYdF+q+GB6JiIAUqs7dmYv3r93C9bOMra64+MlKB1bFaBMTmwK+clJuIwk5bv6hcAKh3xB6hBsOyZ9Ub8XQzKgAQ3Dw9GbJQG9CROERWP7weGyNO6QmR3q2yD4qNEvMyVTNngFfHENKwsxtq5xpxJOKd8eKcN242e+MqSTNskRbLOaMEn9fNwo2CY6Q7KUTJrn2WkNMUDvX80yYWaCiESrjvQ4iW8sypTw2En3hCe3CWFtBRQHhRrJFpelmqZxD0wjM+0315BlcN525iRz0nChOiWqoyfIiE5dZdaNwlkukgTkKMWgZI4q2WKVIOqJ3Cp2d0AzoTMi9fuisDls191ASlk4rwKcW64484eEjwyhkphTUT3VZLeLsqrdROuGh7cc05yTUyMMEVxdv/CWOzZ+aFFsvNS4KZuQfeCGmsK+4HLwyMyK0JfyTpR7pbuFYZgqsmpxQ8frbyybqHf+RkPLX7lXI6WZJBPmmUbYNRJDI7XYEbax9tgfqudvph6HxD5lBqwLolSNmu3ohbaLRKm+TCI1uQz1Ye1Lo897909dyC0jUSfU4l/MFh0ohPvT5/VEZGqJC4EEkawaz31ZVlgnesGYwVvzwAwY6OyxoUHcgetJaoxMsxda58VddV54dQwZUk0QnNogOC/Ey4HdQw9GnFBsFNvyfNvNEsWow3QROa0tDYBn6aZGfOWltIGvd4HXfuYc+AIR1olSJT787MWgN0S8eTgBf/WLcUNHMDosSGJA7iUifiIM9q/FnRlAQTT3LQ0kD7Oj7QoM66zLqNezscgvMuArkVD0ago8OEdSJBjy6ePIC8BjrYaLLM8Wq4XeZCMNl3/BvdY5+5nA2zTkRrD25Is/UKyrHqkldBERa+POdZityA5t+B1P5LAHcINiE+n+gvH1feSi8bnwSwswiYOTWLF1F1CSBmjAhCPpXeR1r6GVF2tGSHNr6ecIIeP84Ulug01LTNQl+Op5e5mnMoFBgTQ9MDTt3AfxdV0iVl1nrP75QEsLFxYwbptmGsw6hPe9EB747F2hU7W/Y/3sQGix707bCQflM9ofjMETI3WEvo4Y66Zznx3pPQzKO6vpnHBK36wMo3uVs418YuSxIEnyOAOHRBpuxZLG5INuM6LBZKXI/rwp92qBZjPb0J4KoW4MlSSjAbZvPgLdGEbNeejQdQM6PSXunCFamIYCb2Fh3aj33UgixOksIJsSzCDgu2HQ2XRlTO2ResL0wkOmWvSDZPZbgsEGvsHD3txQKYwNF/oQzPl7G/3GaBeSehObUpbnqYiVcqfs2+C8KLM/irwm0YnFSnrEATen/MDT0ZA1vcL9j+/kK0ZEpVQUUH3G7n09xkYWZ88yJAg1gixsXL6NEZulMdD1+bcykLEiQ6hAv8vBOVjE98yrnjd3RxJ2doRejurgJPL/cHREFOU/4wMdn5xOaZaJ5YeGdc4k5LULbIiPNjCQ5+g+YN4tY84nJr2V26c2CZdP049u/wegsXYy"
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
# In the full run (3 seeds, numbers above and in `results/scaled_mnist.json`):
#
# * **DCNv2 is ahead at every scale, at both widths.** Mean over the 11 scales with our protocol: 79.5 -> 89.7%
#   at width 16 and 88.8 -> 93.4% at width 32. Under the original's zoom (grey borders) but our honest
#   evaluation, width 32 gives 88.7% vs 92.4%, close to the 90.0% vs 92.9% the original published from
#   a test-set-selected epoch of one seed.
# * **Part of that is not about scale.** DCNv2 is also better on unscaled digits (98.5 -> 99.3% at width 32,
#   96.6 -> 98.9% at width 16): its offset and modulator convs add parameters (53k vs 38k at width 32,
#   17k vs 10k at width 16) and make it a stronger classifier outright. A fairer reading is the *drop* from
#   x1.0: at x0.5 the plain 32-channel model loses 44 points and DCNv2 27; at x1.5 they lose 16 and 14.
# * **So DCNv2 helps most with digits smaller than in training** (x0.5-x0.8), where it is ahead by far more
#   than the spread over seeds. For enlarged digits at width 32 the gap (82.6 vs 85.6% at x1.5) is within
#   the seed-to-seed spread (4-5 points): we cannot claim it.
# * **The extremes are noisy.** At x0.5 and x1.5 the standard deviation over seeds reaches 4-7 points, so a
#   single-seed comparison there, as in the original, can go either way.
# * **The protocol matters less than the selection.** Grey versus black borders changes the mean by about a
#   point; the big difference to the original is that nothing here was chosen by looking at the test set.
#
# What this does not show: whether the offsets really adapt to the digit's size (the next notebook,
# `sampling_points.ipynb`, measures that), or anything about larger images and real backbones.

# %%
print(f"total wall time: {clock() / 60:.1f} min on {device} ({torch.get_num_threads()} threads)")
