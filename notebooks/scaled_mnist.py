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
PACKED = "eNq9fQ132zay9l/hZk9PyIRWLCfptsqq73UTp/W5+Tqxu7372j4yLdE2a4lUSSq26+v/fueZGYAASdnO3r11G1sigQEwGAzmC4ObR7NpPlhePxoFj/4avN/dD95l0zSv0sP8r/R/8LpYXpfZ2XkdhNMo2NrcGgaz9Es6L5ZpuXl+nQZhfZ4GBRXJ8mQe7GWL5Tzd+HS9X5TT84036WlRLpITevS6yL8U81WdFfnGl61gnlynZdTbwrcBQFYMKXjz+gOVnhZ5XWYnq7ooK+3Yp7RcZFVF4IKsCs7TMj25Ds7KJK/TWRyclin16jSYniflWRoHdREk+XVAna6oQnFSJ1me5WdBQqCX1yhZnxOYqjitL5MypcIzNJJUVTHNEgIZzIrpapHmdYIRBKfZPK1k7IeP9rTW4aOIW5qlhIks52GYd8FlVp8Xqzoo04qGMgWUGE1k+XS+mqEvpsQ8W2TaDCAwbirAXVU0EvQ3DhbFLDvF35SHt1ydzLPqPA5mWSWIoocVHvJcckM0pGdFGVTpfA4gGfWfh930MUYZNLQEbmvFFjd9eV4s/PEQtk5XZU6tplxnVhD2uCFq97d0WuMhapwW83lxiQHSLM4yjKsaBfv0JjkpvqQ8IJn/vKipv9IJzMaymWJ9VZ0n1PuTtEEcNU6YTpwxlehAVRMhZDQNy6LkFttjHQT7P+8Eex/f7v+6/Xkn2N0LPn3++I/dNztvaEK39+jB4SMeza+7+z9//GU/oGKftz/s/zP4+DbY/vDP4D93P7yJg53/+vR5Z28v+Pg52H3/6d3uDj3b/fD63S9vdj/8FPxI9T58pCW1SwuLIO9/5FYV1O4O1XuLNt7vfH79Mz3Z/nH33e7+P+Pg7e7+B4B9S3C3g0/bn/d3X//ybvtz8OmXz58+7u1QD94Q5A+7H95+poZ23u982B9Qw/Qs2PkHfQn2ft5+945b2/6FBvAZXeTV9vHTPz/v/vTzfvDzx3dvduj5jzvUv+0f3+1IazS01++2d9/HwZvt99s/7fDYPhKgz1xMO7j9eXcPI3z7+SOVBH4ILUDCB2nkw4ed1/u7Hz8w+nxUUyl8/2Vvp4H8Zmf7HYHbwxDcwoPD/PAR/msYSeAwkoBYQ8gcIiIyKwNlOzFIoshTXqUAkW/TmrQApg6AKgGXqYKMVliWL2n1JbQA06TMibBOy4TXKZNRJZRLpao6TWaGnk6zq5RYxUVwFVwQ+8lmI+Ip1UIIMv8ShMfHxelpldYTfD0+joJlmc5o/VdULpzREp5dRUTX2WnNQyDeWl4HFyl1AK1mOfeInx7mxB3QRdMZWa8Zo4EaTbG+Wm0Tn1jNE2Kbfc1fprzsCEC4GQeCw8M8TabnipdZ8CWZr2it/FjU9KxOSu7NH2lZEHshlgo+W50Ho+mcOOXouJklTNLW7BhcIr0iLM6vqfByTlz3MHfxjwEwuithnKhPU0fFL8HSCcWYj+KSOBGje15UFc8odg3hEphkGgNVvy5WJY2vAPd5RVMa5Gk6qwTc8XEN0jg+Blb445cMnOWY+1gsZZ4jhr1zxaMf4XNAPz/88ENAuxFxkoBrNk9PS7BFPDMF8rz1lrZX866NnqYk74bBuFMiHH4bB8+3YiWISZX9kY6fE79PZtgyxsM4OMmSarxfrtKoAXdFoLhXA9oPZ3lIAABo6zv8i1rNhlfRgPjqMpXnUm+PGgoPtqRxqXfkVPyrnXrpuTPNmCWeaG+dYW+TbT1ZpEp4VQNPGiXCndIEp6HpV0zoHJyucl2Fg6kg5SqWZgcCx3wDJhzUUG0i/Pl4mG681K4DTe4ghMZmBTMApfn/F4S0KGlN0giEIyxpic8JMi9PLA5Z0LTai9Uybq1VomezSlGtheuBsiGMB3ifF1P+XN0xAzTH35s5oH+YhsP8fXKBjZKwThs+9lZa6NQJh8uFPDZhJ8+vngtHIKZluFOe1hF39yz7kvLU6LBOiGZAz5if4jKX5YkmSpKDvDVBIIjQaIr20t9XKe+3IX1T0iUypf4+92eEXn9O3/0Sykct+R2XHEYOgZUp0dCUGNCYO56W9aQuJs3wQnTfQS5hITR19PnB483HR00RLPEF4bS0a4OfDPZ+ehMqh14mZbKY8LRWaIAIqxxvDmgCtMC8nCxW8xrP3M4ecJWDw0fz8vDREdMJP+FtyDQ7cKFrvw4Y+OZgc7jp/2wdmY3vMGcuMpmcrupVmU4mhpkkOclEQjyYE30qf+bZyYDW3Vwr19dLzJ8WeU2zDxTSBk/7QEzyfkW/P9C6nO2vlnj+UblhHOiDX3L67rSiXND9NvBWKgnOwVvTusse90kcLcqY2eRhPpnQzIIL07DGJHcNB4QLjHkyoU7ywwPBlCsBKPOEeOa9QtPOUyGWybRdmpc54WNiF5/z8iSjV0TwE2EGzpteMnTe99AQv8VM5rt5/SnJQHqMygNiFYpc+Ui/jqjgj9uv/3Pnw5s9KhcePkpI3SEQBFvw3XyUrYvUDcLUz9t7k/2PJD/+gyQyErjGLRoYnGb5bFIt02nYrg22TUQUfCBZiSC9+/jrhKTZ1wZOKBN7Oi+SGtuHfD3R78yGIOxt/Ak/aGe7PGMFjHS6dHpBEzhS7sbKzzSgV/jCbJjElmxG7EoUQ9okMWMpq4DKrstVDkHiz+o+kUxAtJGVIUtUtABovY1IpKK1sCBVdLFajEAFUbDxQ5swRobE8N82dqUaWg7JUyApYun0gLYn3pp+GBtwMdZgEtSARZtBHFxGr6Dugp0HaVkSBBLq0vIyq0hGVl6DdrI6XVRgkqgp3SVKoVYqiL60N6RmDGEt7AHcN4oC2iSpJX0n9RTiKW0ieciAo+Av42AL/Qfl0SoPXbix4ADbEl77r06KYi5y/hfenBmcIgc/ZUJDCfavl+kOhheeHj66AZpvg8Wqon2NN0yLPEEMpPjLQjF4Rk3ecMf/Ut7y6tLeE0pN7/9up6vd8D9QcV3LNC83WvF2XUNlShxexyWLS6iGpf0v6YQ62aEephd6MbJ9beNNKjBai7LnDWP167AYmC4FTKNr0cbPCGPDr8PVw+Artvi5gy1mDpOTZHqR5rNQ/zaoor8NqvStoCwPDPe9p7emlukuFE0ioxtT3cyvlmvhxNQej9vM3FJ9m6Xf1Z/HCm/cBiaqj/OMGMB5ho240vESGcxJxXsVPG7gd34er6i9VhsEnSjJ7E+P/fnQss6MkJpQzIl8++YkFhF7pHJBa4qUK2lDI3c0j2kUCZOI8HNoecHrX95sx6KAkKhkjJDEJkn34K1C5H3wqYGRYz9StU+/2EpSGJZAVCBBhqQ32kVOE1L6S2ijeasXtJ7O5ulGfV6mCYxR86JYVkFYpUaYT6u6enaSkki9SMqLwfI6YtWUmkjmlVjIWEEFGbG2W62W2L+pUdlon53YHfjjhw//RSK/yn+qP87SL9k09eY6OE8wy2avA8sM33/ag3br4LVNkn8Z20l1Sa41r3gmXYBMaWXpPL8aZBXxqAk+TqRE2NB92BFUxHZBs49609UscZ7MSGRNzbr0BROfWM2aaXpknki/CDRGNKX5m6Q5RLZZGEXd4bWWj0fSluz/bInnp7RYpBBqMCYjto6UZNKADeSNSZpW6iw4EQWclU1ZCo5Qvv1pl0Et50X9Zws/Xalbta6R1QkcG8coUIk5BjvIZs0DorhhvJZhqarplt6EUXzOTXpARNLipn0B66SC0SJ1TH60KIV3Jm0zYtd+aBkLiauVQ2dmsOEH0uGDJ8FP9O/iHL8u4+DnSbGije5X/IlgzsjYigAJzjNWkcpaDTy95vjYxwWtg3RaVyNe866dIpCV4RkrLqAscBeCp8FvMZwlOd6if+FZ00F6exH57ZwXc9peZtdqrKe1ml7VFsDsatAUd6bVzKa1CbhzQ4NFpwHMtRyFWpSZ8vUCC4KEfTDyyOL6My9UF91A809xP4Zh6hyttfLw32AKbSLlqSdMpWekpsZiLnKm1LHzUDfj4PcowC5Q+VgOszj4jWTauql5fBwuqWOCjMl5sAF80N+nPB2EEv4M4/DvTbFLLcaTpcXweXYVHR87+P5k6ZY6WFFNau6AVsHPVH94FFwF+PIrfzk+5g6zQZc2LaP80m50ypsZjR7TcVKUs7Ts2z0uSK8g+hirbuNN9eEj5yuU16HSEPxUVVPJkARp5vzJLbqkosumqKWaw0f6EYU3tfAM/q+msKEslDafXdi0KckCGcyyRch6yYvArhoxyB0Qwr4Jwq1mLUT3SIe65lg4PE++sMuKtjKz7NVKIPYB+n6jYG87TMCguPeHGmIZU3Q0t8dRR0KerGW9pMHJBFJzocwKPgnS8UkwGkWONPe1fLylyzb8vP1i/WgtU+/AaphH69U65j7Cbjg67g7imHlPoiYGyGZYGNdia4BD2ThnjfEBC2MRJGdJlls2BJ8mi5x70zJb1q64BuGxTCCmAS2VLDs2j5Emyv2ELMmkQnxQnlRGZBfhFEYOaSfxLCG0cKG+shQZBZfFaj4j8OID0fH6W0ZQJxepuFOUUaFP3BuBf3wshnWhqONj9vWQzDolhaFip0sPK3gYKdHqfNh+IEBzuykRMs5lgVziD8FxqV65EaDLelKOwGKkkVFZjH6+5S58ft8RMcWS4ZYxeE/yM8CDAy0UuXtsivG3WJoc82+zDIvLqrGmCQxG1pMn8iUCMz+PBl+y9JJfDOX/iJi7X0sx4FasePcwtaWmFjOMblrMezpw2erAZQMC7/o7cNnTAd6XLr0ODHWWtANwi9pZILVzeqFQT8oimbFsrhQfAlkx9zgCLSzGG0ODGJ8AsIl7bI4beRpMlMNeX1kmd+Hyr/Zrh205Brgu5/Dkthaz5lgPTys0ghBvnIBo5JGuJGKdwJ4R7usIX1GgLxhdDoDg2TPdwiLuwZYPMRogzoIkXjiBh/z6RRy8jIPnDt5advHQU9tJYjV81NPke9D4YyNiQK4qlwUtd0goDJDkERI5XLc7y1ZWEo+Zb4L7isRiBJxsrdit/QT6XxPuCe+RIyo53UaJJ5iPeI1kCL4seBY1a/1Wco9YSv14EokWx8arisMVLAaIeph7DDr6f4CwG+OYpyrKz2LYIKaOXEqQScX5bmM4pGkjUQSRMFVF3Z+yz4hldyPmFkShWc6W8mWZTkmemV/3MHdQE1ENUQxUBtZzHPJjORcspuXOPBiONobq6rosyovJWn7sav1r2LFTRCD+lZe8EmRwmaALcA1f89QdbIAPHb0Sz3Myz85y2v9o8spq/DYBQMHAFWGvZjk/3Loi/kFM75lIx4qGina91Btbnl4qvwoPtgabVJ74pXw4PzI7QDNeK/UixGMdnKHA4XaxDAWafF0P02OstINOF6t5yA05S5LwnC1D8NG6CB0QsQwtsvyCEAakGb4qxEng3w4cRMvK74BCCY5KS8eNEw3Stm7sE33F69Z6zdb89MxWj9G3QiccqmgGQqT6RGjS4WCeDNTmX+29QOSf5jtCC0bWL3ogj48IN3Cd9Q6mz2zxNeaJXqCLpLpY3w3wL9e4GjT2vHXs+E1/VNSXrbiJ2HCE4hySZbWa1xxOd69p4iFMeZLlypdjYWjg7jx5g3/NeGJjqmhX64nNcE0iPzlNmBkPXws4dIyWoChqsSq60SsatDySuKFGjAcTYabnwBSqUYjsfsE8OQXusIaon8o47nqNIDIfMDjwsnIAC6Gw0LEWVYHGhrGRRYPotIvyfehulZawGidAyAZztbKPPG78lA2UJ0k9RXToIqmJMUUd93Xs+hHu2zWl6/4ImEZ/VrEo/JmaBXWILWVD7ShPoJmAkUbyi4Qha3d5arm8u9nJ64fZJ3RaHmig0Nl9sInCOou6XpR+R1ekDhWtr4V0WTJ5VsL6DMszrE5Y3B36WMw09RA/lrvQnQCRhk2YiXYY+p2M5H/b40aEYWazToqZCmlNJ8Q4Jia2y9i3XIV4jbKpNp0xNwMycyBJCd/4M+5Ymho5XcrfIfcfbGyNVLKyGz3I5EG2nrUoi4xkRQrYaiFiMditZYddFYbAYal78aLMelX76ImPcwLjtB3qea+CMUCIIY02zNums9hiufWY+eXd4oWLs7ta6NE4nZAAoi03fmbkM18aEf7cBX7YaYElNEXJwJXz1K0fWp/WWUk8zvqzGKtJfh3Wbo/ENE89+H2VUTe4jljYOeJX25FVYhZV5PnGEGN/mpYpaRcjs1uwfM5xdjLxAmYD1hxSi1anVD6Yp1XlmclBmbIJhGbxmpl3UMmdZlnf4IAqTEJexTHWr2BOcZLOqerdzscRhmDsb5UY4DQ2FcdXEBZN4we+Pl3X58SX36qv7N/Se5pxQW2355VLLtrCe8Xv7D03NUiWy/l1/yx1QSqDcFdMbBiaR2FmgYN3cnjiqjYK5yhY5bBWGH9pcLJYcJiU1TU9XZSIi4FUdXJdNbqoWCzZCmnaWpJ8VNQaYyo+E+weCPg2KmATNqo7gpgnbVdUwPetHQQHGxGPxMU/Xjzl59YmpahgoxYWWWGVBjfQJjXcZyJ4DttqgMhlBvd324vulCNRKRHmat5weaekV9HxPwQYE6iWD854RqOpbhTuZnWwaRRwCfa3bw2hDOOgYanchaYPUBpp/dBcg542huafr421AObOoDoQva5tDI9c/HtrrEG6YTyzf2ke9lvuRCJGmueHbGx2HbP57o6Z+uQ4ImHrZaMfccOwdwuMAll5iolTGlqd5iGCo6uiR2wGbbd8oj0ya7ORWnT1TgjmrylhRIkj8Kr20+GRP81qsl0swrUrxWVMlknqFPMRkQ6bM+ZlWujYnwaGA0feJB4fr2PAwmMj0sbEzhMQymcbl2UGpDKbuUzKmQTWJHPe9hHOk14So5Pdqmq0VO0EMUTEvdvKetIHcYJ223CAIfSntQ8CSgaV+ZUcUcGslumqSnVjATgZ0GNz7MhUsdur4wznoT62RfToDW1ncoaxqtMlyXJn6cZpwrq5nH5yCaO7P7OMJoc3ws8722/e78TB3jJNZ9Eg2MMZDWeH5DMbqvgPgl2cq/lC9YBlhD7kpL4JiwGW+SDFF7jMuJfU6eU5LYBlLTN0fEzkRB2f8As+uEKTN01yhNLNslOWN2o5cmm8ay6xy7f/qBD0MiU9+LywYVCnQBlmLJzWV3Ejw1pG0ms96Rp7HsRdWNAztMynFB4sETQAqJ8Dqw1ozLj3Epic0KgmhhjXCQS2K1FHt2ovHVvUFyPWIvY/WkvUBBSR2DVNJ86UIR7eTkXTYcwFy6uFE+jnYPG+EQG5ioqZ8RM1tRuty+KyeZkzWqVpux0221FT0BimbWF5QMKLu1RfNQLJIrkW9z6fTYM9HrGg9IUr8JKmFctQvM4S+IZV81fVFviz3aM/2PWr4j9GxyGdE4bNwvzB1tHIV3TU1diwchJ1VHRatxm00NNwfet9t7zeWpqxB5h6MTc6IGaUV0uc3WILstiaZYeTDgCX1WqxENeFvDKSp9+gj4mmeWvefeIKEdGAoIab0f3Yopknjtr7athGpB5QY0PNmr2uwW1XHPeG4hJygz9toY24ZkLUnG1UIR3sGgXRGXtbMWVJ/WGjbrosNBm2+v/EbumMdCiwabqEl9Y5f3j/NKxrtb0wbLu9PNUv46iKHQboAo+bAcYupcVqQpeF14om/zfaz7CPOOaCxvVlQ5DuiS8SacHEnr/YeOP5NiX0XOJINDjIsXNFXiS6RNdq/K0xvU9YRg3vORDgdyKxhvsNMfLUupFyiJLjoWmav9cYR/0z7MMLzmKrzze+GuHRcR/OlJl0YrLuVtFYXOF34+AG7d7eG5M1y2DDhDfl5Jo9AtR5KJ1OrJbHuxqEqII6udPkiCXFusc3pFuo+auFiehBqBipDsMDow/N2QtvBHZvvVnTmn+yQRVx3/7Eg2ZdXIaMmQxltPf1lQF2Jk17HEceWp0Wmk6dG8/AeeMZwKrEVrBhVya+rXUS4OXTYKjyrYF32YI39OANBd5lL7yhA4+QJl38ezAEcV+aLw/hAaOgWiac4oKjt27EU3QrZGv8Ejf64ZYdRzj3a08xcOaS+8hZ+K+qrzfhGpQ9BY2vGT486s2MdIzmOBlwfxQmNUfP87uiM6O+l+NxsOkPETpVJ2byYGt0JITp2cr+1VDPm/x2XbAnvbg5F/oNbriV239LqOfXehaYkzAn9Wo+aMCjFlPsZR3tDt14D/zDdX0Ci4yWTegO38jjDk7bJvR7hsCNtWfs5iGAbz1+4/RMBvPnngzZN2c8/rxGxX7jHLUOmyPjvrXmVza23JEUZJaJI4IPsbAoEYpsxU9/8pz02JAbptEEybl0b7RK0jFGd0TaxTaxi40RaMV4CVCxE9wLMopdD7pNovIKw6pwViB33ksUS8th9+B+J+ZMyprQtHCVg9Gz9t/Y2jrJRPJ8wOY3O1+lHnlZlx3ny5ZYzmYlDrXBDUCdNfNqj/3rtFo72vHx9QEWFEnBR+zZS6qDAtseKQ2TmymN8VYFiYOCg3UujtQygmoXXO1JcHUgkTzLTaq5nFwgpoBn2xY6Modf5Fjf8bEpKrEZnDsrPaMJKCVQipNfNKlJmM8cH18dDAaDIyecwzkFEUq4knGxINYwGgQfuRsSDuNQwLRYpJoQ5rLgFqomiIYXK+m7Z96RLjehjkZROwDHvIlU2dmiyGak4vKpJS/vjtjv0t9XRFxsWePRaqqf9dE3kya0lEZlv41s2Oq0WLHx8gRpfzy+3oS/3HfCZ00oS6zmb0s3DhwbHsXmN1OeMzakiDfRwIyhhrpz8Aif9EfMRAssh8zoBLSjY4xhb31PJHKH2QUvCuMua+OYOEnKRteA17fphZcSTzLddaKZzJZrka47jyEZHO2/NDG9NBeYhllacaConTJvGhrSGXGmG16tkj+vLxNULH22pYa0vxaipfbH/UicThDyYdiqtgZqZkWw5XAIfBSvCxGKxZuY5HION+6cXONTr3XB5yZ0ev1DzeG9IWeNK2YPO0o76Kwdc8Z06X4n9VxdlGuDjqRK94UzHglJwhL/daLn+FqEJmVfw7yg0bPqZfDJhvYK4kirHPN9Bg8Yp1BanfBkphXbX1jRxAl60IaXa0xZio2Yc0LK10bJ0fR1aSUI2/XFQiQNuFxqXpxRd6JImWt7tagmbpzHUa9xny0vNCdZPZmEVTo/jV2epdzBZ1z8qO/8KPHM5w8+Q2r5jyRp4fPpWuVIAjj7QzVdT4E8EP6B1AqIn2XW0NPek7jNCywAdy0rGCzptQGefeD1gIoYtiSCGJ/bNigOeVsRHYTRwKLdsaJhBgbOBLBR1M1J4W0o0E7tVyvmWzjutHUAuS8Byf3eBWV1Cx+IkRpJbdIkPJ0+tHSTVif8KB2b2KcHGhggFp5mO4llq6RVIw/1G4uGYQsvcdDCms0YZP2n98Uw9f6Ebaz5K+Xf29LdI2rhrUXrnnbt5Qv5xiCux058R/aQUFKE3Eb9CumNOzcord9voy6BOIzkK4+2WhBfEUNq63x1eKixIDc5XazZGflOugg2ZiFNrBAa0SpuBKnoQVh/bCD5mXXi/rw6VoLzJTZWpxXQX8rbx9Ha/nKQqcJgwdlBMewCHNfzVR0fW3iSKMWKlmFrrzYmdX4/vpG/Pb3lLjXhwCb615ZpBX31VHlIBLGt5qkJ2CAcxaFd1oki7g8adgNyoWy3F4GY+zpPzdEeFqmNXqOHI918le2KZj8eO9PYZAl0sXIHZzLrYewtndhseuuPY7a3AVYFx042Qo+N9ZnxLpykmzgLaca+Zo5UilrfxoPhs7WsmXh2g/meYm7XFbruaNXbFqTxsdn1uH3xaK0fH6mgJuFdigDLMHIluM5b1OmTPUT4s73kiJgMhu2s0lzbqmeoy/QV63NGMWpr4SKAemFxvYjp7b27sTP2wCTbxBL3zW4PsxUAvRHCNj4hH2CsA1ZQJyH3SwNxH1aYhWgbuyGxbfV1Mwnqsbao74SwqIu0ix6peQdoNN0AbkfVPKQJQHApJr2qy2RSpsuygdskg+JZJHLGjt8WSWFN74iXt37W3Js2G7qNG67eMKJbl2poFj0mjb1mE9y4zcmDp9yxhovduPU4BVgXqt3v121hDVjL7W68mr1glY8Q0OFaeLrcb5wKvbDc4No+YIDFvELMmz0QfOZ2Z6e8otq3ttvAawArq7UbrutkxxL7qEugwVPph0l3duPunjqHJqZ5Y8MEmwX/B7Z2qwWnV8t5Ns3Ap5iSrDrcTpom+S9MBFs7s2iH25oghuYsmTYQjayk9cyKarBf5KvFCXHJV5D0itmskcfYzHZS1HWxeCZp/E+zsmoOZCvrssy9qbiqxUjL6x5hRM8kSIMNtTkytiHotEY2WZOHpmllEHxqi1j1eVGljsUvWC1hj805ofuX1ITRNieeqR3JIFqm9qy5tbUM2jhbzxZYPFVctSOyNKejoFuYxz2ABD0tOIKHcXAwY+eq+FaxTc3gH6Ft6o9sGbZEoTbDi446exSDhXj3jeTklO/sVt3q2a/EhoYTwdTj0BmUWy8O7AMBHEV34sQWffYMlS0ofO0G8xjCddDm2Y1EwuVSaxdLi5t1k2ZqI91YxQfGw4hrZN8Ng4EEKnBhZYESOpnceqpnKxbI6GjP4+BFfxfuCgxyg4LEYvm1EUJfGSX0fxUp5GFGYxSfczhAWwj4Ohyx+9epPe4KFU0CjRBxPBvP73PVO+76hyN4LQPANmOZJQy9ld6LwxqU3GcjA6INeo5rboI0L1Zn532rreNkCYwocyc3Ex3DX2yukCydoVcsorBfLrnKKsOQvFnbGh05cXH38Cpg+udfu+YI2itStpFSVYcT2pAaF7Ew39g4neDvWveBViXlGjcYzi0CGFhkDEIv8IfNF7dRb3CNCZ65l2KUatQIrwO8kb/U4H0y7DrRMNKwBMsZVZQifYnDHx8oSrQF+64sod76OxPksJIGl4E9kt7jVdHD8Q18vnVEHKnsmbX3RwjZ+3dKGC2V1wY9vYa3CZKLnFIkfeP+Db2lsfcLvq4+46iFytzjlkauSni7dDvxgI0NniZ1eOBoYL3apr5zQ7VZUu8C0ajUHhB44wEAsrG1+4eu/fBWrmksNvzFLmj+1jpI3Hg7Y1XM2VpVnw8qkmtNH31LRF9f3RJHkhdq2BUNTEtIxfLEZJvy/VLugjCHRdaug7au3CSCuseD+NWuw35zhSfLuMf68bPKzTGxsSc2EPd+3pS6sm9XefX7Kk3/SENh+U39JrtOd9I0EFy602YgV053rmJnY5HiHd3FLS+BlP4x/6smqHqdPSJeY0aIXZPwPf6MdVuQxIQb5c/V/XpIDdvaXfgsVo3tRANlCo5/N2amJiWNBFOto0In4KpDihqI4sUh8VFwEy5ksgE4OQJsMAryBUvAlU095THfVtTI+rwt7RUQm0yuI5wiGh3rOvOhd5N84KcVMoYeH7MrQU79iFQ1uzO56wFfkfPK82n7jfhZb185uEF+rSbCys3IZeKsfAeK3D/HITl+E8fHvekMnKRMkaZe9e9N0pRL7RS4TPvVHfvX/exiPSNoM49/Dz+YPIQfIPIqDkZD/HO3IjejxR0JLXr8Cj0OhdY6d5rBqZ2eLA+TbiKzTm4Hja9FBi9E+yF+9KwnZrT/5Ip/BlA5ihtYKdDHvakMZQ7GHH9qDkR1RxE5pDZuiM6zX52ssjlPEMes2YukRN7639uv/oPXcueEJrUl4tJ0rvLEqDEPwdsgV7FVzPz6bv3pcEEvelFYm540lagTWr7qOYgdIVEcRMwuJd2ey51268qEAdngOu40Ui3DGjWltSuJk4wbQu7EcxgxR1pwRvu6ueHOOXEoV91JvCDCoQaI3pGxo40y1QSt15dFOdswVwRUoybIx0TiORE7fKFd7Caa1i2MmDsHDdtDw8jHZpN32+N4JjDnsYQTOplDtE98ySbu+3SGEiIcsfgj1bBKTQjBT15pbvBLE9PreGvUxyJsl/uFGYy8icDtWh031ndym513s5hfpX3/3VAuGENivc1W0dbNc216GzgECzcPX0qnpNC9X86/Y26NpsGWIAZmvEN2aPfbUxgZbUOTs34aWxO3sN7U5ArvnJxPrn/Q/HwPsKV0AZhuPWYgj0EX7XT5TrYym7zzISYVm17fnPrptO5es+KkvtIVFepfmBXsjHrlzQ2MxJbEteY5S3v0FH7k7T7rlaP+AXoak9awiTOMZOt6EK1325GITeLh/ibE/e0VxxOXzzqaKOvTvrDaIgS5xLBHMB8gGcldHkxDcu0x9Zhjehrh411OE+r3vL9bHg/z+ue/6lkc9/R0XS/7Wuy+6HSeGaCUNjy6q3bokY8/96zJr+cFLV++X7L6ky9M613DI44wiTkbOTK5mKudnDla5Rd8dSVEzzpsJIrgpics7fBRs3nKd3PXzaNbe0hJId5zT5Z06ZZZ1CqXuzhot9QOBDcVMlHNQgUW3b66k/kRxAaEH5XoyhmlvZvnkZtNJ6smz6+eh849cy1hi5GG0KGRl+alzdegFMAJ4WaD7r+Sk0mEG5BTJjFSCuN+ZDd1Km6bRGTt0Z3ZU62uzpcV497RBoK5v/JAAnTteI7kLrOHAfblTFyEKdDa+79/+d7nVDOfNTnQWPRK5yxmNkmsTHw2s9T1B6FC9zbcaN2BDcUr7P0Wt3yH1LRY0JaoCiODEqG1kjvjg+QU9w7IZFVN3iBFrM4MS5Z6WoUdqBB4s1NIeTnbWnGLoBQHrc1xx7pkuuAdKR2cDdrKL25CBad6LsuJP784fIRDNqdy955zVdXntPqQ1q/k+kIWIbjZpAlzb8Hnde7c5+WPypDL8bH9Eko4rohcSvPUlWWGuxOMro0TFnKUY8TX5eq1YrG5balq+WPp6ZvXH0gCXSK13ALX8TZLYRBsB8Orocg8ehdXjlk+KVbleVHMmsuu5Q7vRBw4ZeuwKhIrrnDvUKVoIiL729XfkPFnoTc9nLFQ3bq79yQ7OzO+CBKdSP+VUwAvvg+e0q9WK6LoWGcXpujbFxGNYUmaNwv71Mh5o1YZ2vEOn1jm7GssyvmK087KCsK1PM1a4e664efGp9MRaxlMare8PuVCZM7FNeA74/nqdgicVtXtdImrOzMNzURyHSnH07RG+o2vAbmEGikxAywrnOvlIOY+dlwgxxdvivx7luEmuXTmWnKRdc/cNycHOc7SWhwX1XmC7DIiIxDpC3g+qqYXJGenzBkY/GmSzfkEjXZw8LW3Nf+t0ame331bs3+vs7QyGAx6me2dNz336GrPRcHjO2ZNMb3BdYxhWEuTvfp5/R3R9jLoLfcy6JbWJzDNNbH33Rt+X4uwr5j7Y5yrgqUfR71X8LXiD5h246BzXnON3CGk3qMVmn240Qq5aJ9aaBRTKcByb49W2lEETeNZZRhN4gRPS+4ZuXXgJHVoVrfPu+UfeonbJ+9QyaWz7hgMb1ojuLei5bVwb7h8D54t8AbVoAVwN9mpZPUKvpkFkDLIXmKt2FZSLcCxEJX53g3BaF2Uu5QuM6/ma8ZtzX/zKHq7LniWzbVzch9fpiqihbbYPRTcgDOdMiCw9/Xu5E3/5J3bwfXK/5pbvE06b9uNsfOZcKzStJ4PV+FOJ42JcICeaT6itArLdFF8SSezFUzeBEMvMXgwncouMA74bItzzmiiOxsauXUkxKyqxNR+sOzSBLdn4okY8pFHX1r7ATYfC/FG69yKsEbijZXWzEFGRktDMrz1OjhHX1uDWziDa63URVcyN9FssMHLvj0SOZ7DHjtyPJB5yymNZ6GVBGFWUqa04MSKsInX7m3h1WWiybudfso4m86OuvY9edO18PEdzLPmde72358A6iVJGCs/DxyyPKMXAz47XkEiC3HtEfLnP9KIQEkP0MJ39BDofVRpF7VpGgrhMlBsuP1Y+v24ky+ta95b54vO5seid3ndF0pv0XjQ4Bezfvf2wdtjnzFMgo2myFsZWlYVO+uB87jyPeprI4qYErhIxBZT2QiVBcnaJq41Cm64zC0jjn0x+GqUct0yQb7/W0L0tuUHUuEyQXJHPdE4waVS2Ry94ckv6W3NVzOFMvHtSBnpPC/0I5bd+iapfSqqTuq6VLZKgvDEspbQ6UykXYlbrfg5a827xnShSgef+1DVo8dwMS9HEqpoo9Ln5WTByiE/xiHdwSbzEDZowCLlmwpgrlhkf5Bkb4+Y2GPCrLuKJE+gjo/nJZw40tCzjndESjTnkLQnjrsejh1fAZRVaVJLqBuqcpLMVo7fR++45qP8i+QsxU2EklrKXGzg5J3lvCZsEGAzJZLKkq52wqlcoAfPXD2YGzUeMuR4/W21WAbm+i8lZwKyUa9g8ITajKFl0DtLq/puDoZBNUdqS75zcQbL3iXNfaopPkhgSGbJErfeqlr+ZQuZOs9totDTYiWOuLaehkvDP77+SHy/Zh2+crPqYgRIUhMUrP3OkjoJwl1giDTx4B+7byL2qVnnJueBwM1NDKPypnmeXUh2iJbhYFbgcKpWvkPbPT4+uMGJQCIluGcCTlrCxpUSX+dQeu8u0CGgW7XHuI1oPn3QLr0sDA2T6JTML+HWo+5XkgpZT3SEjqqbLpb1tb0ps636WFt3xffZmHNXTVpgxzwu8pL6HOfpac0RN/dps52EN1Bqe3RXT/9s5czyOUPOkWvleHOwOWyzAno4dOAczNNcDp8fNPNwJFuhXDeU5drYEeQQ75TeUzYXtbIjvDKL+mnjMlUtEkHhjjprJ6q5jx1PBtuzZPFr6KUm7VE8/WEFP4yDzQclArM1jMz+A19nxWK5X8KVzfVNNmP5lraBpeBoYY02AyNFRw+QAvvUR+/43sI/u7doH9zrO6rXyC/qxmsOCeombP3VLZlbBuBWYMHGd/4ceXtUa2E7wJpGgAfGlErxDRJbTMBHx9dAXg+1h3Mc5o/i4NEip72PNvSTwfKaSj5qMu7zzXKzjfcfdvf2+U7yMoOATTuLjTo5mRfTC6jeYuHSi+tpfOlJUVxoGp0M5sg5THhY+/tegWlSIo8SsRLc0Mu3IYjugUrYHeS+L2Its2lOPSRuwpHBtCmyrVmS0cwlCVnwuqBxvDrMiQfShlI9w++JbUyq63W7DEIOG3E4RCVBItx/NGxTAJH0gcwSRYkrFc3CYwlvMjld0eSnk4m5I4llw0QvHznM9SmST5lLlAiD9stlUmKTqhQc7dbn8+zEwPpEX/UNyYBsMJQXb9hxBoklDprsbU2Qt54cczogiXy8bzAsmRzgOJtVBW9NY3ht2rLZ1Fn0YiZveo345On5xHzVi1rMvpEtry+z2RkHNta/zxaceTw45buHzb0hNW6bP0mg80F+0DRgBnyVIeaOpoJWINJUnOWkzlkGJF21gM3Q6IEzbiIZHRR9suhrByNRmfc72x/iYG//De7yGwyfb/4tpr/PN78bYkyyAIxMsQFmzgnWqzqbVn3Zog7zvdfb73b2wFZKSC3h5uAlbQCQgZ4EWWyOfWWoKHfyDocRbyhUEE1/GwccVjccvKTeof3J212FePiIu7LBYl61kc2unm+sTq5rTQEhL2kdpHN+ObQvO1yWCg83L9YCwrseOEeNHA7vy0RiF0KWo4W25IknSb/+5c22iJ1LnNmGHFrjG9wTkFXff9qLJbAOiHz96ZdBa4/TmPjVLMEZpuRLkolxKhr130OmnSDKQR3X6nWmuomm8RYnBduVFuJLlvw6nWSWXvEBlf3ajiyczDNrurpcef5fJI6aMIMOy6Ko1QXMMywZhQTp/rFR7+y2YFEouLmTfCQ6QsVBuEhZ/h3+RaoW4eJVRFnR/iHTj2LYW+pvX1jx7ZdKtQ1hluL/OD7+O/r5wzNu8FmZXD7DpR7etPMkQ/zH4FQbCCV/B18mDOt7z90o3VvoTE+oFVoWYJeMJFz9qiM+fMSfqYCBcs5XMWRi+IM5NkTtZ6wI45YcwjR2e6OdAxXO6ouM2ODaLqBRVKk9+6FZzfRpNeDq3DGduDH/ji0Kxnybr+2XuV5KrBY7/IdDwo2dAlwiLyyuYtmDcdNMJtYNYhxtwe/zKsfOo9b+vBWfINSh9E4jviGcDPSqQpKVxP7Pfkp1AZiuI4pbzR6kRX1aib2c9LRSqaLtGEB4xeM4eDz4rcjy0MXsLdJfwhVO7VZw0MHFXAWDsz/kYm7s1iJE8Csg/M32/vbkze5n3kp6EiFTY1JDauPC5CpoCHPQb6nhZamzx7PoxFoPI7nuOIwGs+xLuPXy5WATN5xr6RreX5ryKcSR0FnGOTacOYn2oSy79SdUtH0tF2wE2JlA0bQ3uVlB34MnkALbzQbaiG9mN8JN5qgENyssItmXlJ3jbJmI9SwByf7QB/VetdJ1g5t1hvJD9LhM5yv8XSRXS+JBW/jMpz/uevncfYkHL9oPXkozztOzeXEC4QRO1bM0ADw8Pp0Ogt3mFEPDv2KDaaKgV+oS1zKbkU0q8rBkdSS91OcmlxvuRGsw8rBkbv9ShjZu1QS7u2Z2fdGnjnNhmRw3wHYYm0prYmxtvS2vnlZ6YN3nX183O3Vx2ZNNSaija/S9A7yXbMec/uke/PGaePl/0sS6FFFmUF+JrE6P/5WJOp1KxXd8msVU5ChqJ6g/TaDMVEr/V/4BJhtb1U0N03AcuTEH6pqMVjYO9NvEqMsajHlNajdI1P4bOJwu084puis+z0jsZML8ZBa+HYA/hA3Zh1dRFHtpBu6ts9Wtw12WnOjt0s9R2i/5sr/ki9CAiTrd8Uu+DA2YqBsieiM+TsCB9m4+G9/nS+f5S30umMVTnfLwarBIkxyn3sfhFkL/Itg91h2dvLr72KR7XtZSylV00DTsqAV/FMWitdXpPfXWIL8si7qYFvOGa57ME2Q1s7fOr7sL8P8XuKi7V3xNTgqRQbIymJKwWWq2Y24aptC8CbKbJvkXWOecmyoXzvbh5MHudg1JUEnIqUjlNQ9xj6pKzdo5NrQjnOmEw5fkhARDCmBHllwo9O2MNcRB05rVIrkdL52sMWU8RtNoNoURINEQL4kUNGOQwFJW2UkYm8OoJx3SW6mdXp2V6XUQbhqHAsiG5cu8yurrPmG8MRSouMsXIIGVVkZQ34V8uiwkFoxElPTemgPaiLSyb5nYf2smIzmFocCkpyPFeZ7CqsuSdV7hqP4Yc7B5pOQ25t8wTxGu6BWK0i96DZSgquvMF4qU1AntKe8uhUao2387kI6FZuYzd/DjDioGP+6+2/2ws/0ZXkupGq3rSEMN3S40DbclzOj+PqD9nb19pwtGneqmWzQ9MjbiLn4kK2TTWRvYITU116JhEBIn3/XYtXmGqJ/N93RZTM9NpuAqRS5l/qgGB0+d9swdfKxXkwqLSPftC8dBCE9gukFb6FmyWCTNw83B3wC8mjZsShkTOwy52NFdgneZTjNcygsbfhzs1eny3ecQVz1KKoihtsiSa5CszmBf5SkaGPeRrMZ5oZc9MgYc5gQkwAPEDn9mbuer01M+LsysQ4LZGVfqHPTT8mmUhDXo2qCPvmV/l4ci7BrN2ekyL5WuKpyrXs07leflxL4aKIZsQ3HQRdZYUKZuzTSXGy4t1J/ME5KzF0m+SuYTjD7Er8jG/lBXcfWbJDvXcxuRudmhqtg+YML8YA3gmB2YF0Ox1wklRkIdY/ySFSDPQf+crkpDhtyLosF2vWhJmtZFCL+TXbp2UGP7yZERTBYp4l5+HhcmcnYBcLysZGdoKL8dgnEVB8j02WYdB1zjKHLwYxaivnLetE7TgEo5+0RJnybYgYvltVAGh2ZetyrYeeZ8iHJaCS6KupjkpDn13UiHNgb2Xsq18EA27beCuKdjgZHVKU5LPwmAeh6YKzZbimwDEurAxd5IviognwXO9PkGPikunK+bQwC8MJlOV2Uyve5jhyxPr2eHvWyvh9cNNzclzIEZls+viuXG0PYh0NuEmgMREGs0DHajkY7MsXqOHncYRGdhpV+SucHetCiJHTJbbdYVE6GbaKjq0q0ZePeNfwOpgKf5NRTn9CQaJOUZKQSw4UyXKzkmfy1XIEZKC97EEc44A4kBK3MsHXF2sjT/kpVFDr4d9k1HS3sqTn5L20Em/5BzHXJu95yomiibptEkTNUre9miNuixiC5pT4f8ZPYE1/ehtkQ+entjL3QwPZxM9EjJZMLJqaesVMDP1nqzvK7PC35pGhvII1MsbKUfJ2A8elZH6jJ0L5U45+OjTS8QHJSvFhN9EXIpOyivTf3g+G9dQ+x6C7Ei4aB1E8VRy2brjNozwu4y4J1WlNgyqSors8kAB3IBLcQEcTqM2u2fwcB/1KT4gTsDCJD6HBPls1alxhTJhgzNEYes2eVWLYoL91AVn5zSg1MPILzPq9zCsmfYXYoeBXvvP/7nzmSf5MTx0Bz7yfLr4PUuPK9xY4PFO7atQugpitqjVO4ngjOqgULHoMPDRw14cTltQrpq8po7D5HciaF4SRj4kYcoonJ5CMrDB6bspE4ms4w94Z0+mCFIYyhK7bV8ZYePdBUaKOxtsE+faZNNL7l39j0BvHWmb0XiS0lsNNTX5iykpxM381eLe7eZS0f2PPJn9MYcOmDbCumIhA7Ij7yM0nKD1SGWKJEnlSXLAgdj+LnkeK9nvDSNmsz54epZdXurJSFIepOLq3WRpMuPbeQLE3R8RPdw0xPh+6GNJWJsdMy8KsYNCnz80/5E8FHe7FRsb2jfcEytDIigNRArDFFBI5hJ5cM3xgsiemKS7iKziwP80+AAewF9jJTX46OJRJQ5u24N8iK9lpuTOUhWO4C9pPK8gZoQxix68cGFqGdSm8sLntJvX7hiSI0oTalPksiMjTmkw65y2CLTmQhIwCU6DIhR8EMwVEcqA+Vj+qEBYS4YdU3SPLIDGsuR7BKGYLSONSJtQiTkYPnIoRT64z8GgXDIienRrbdAtb1mOZiVxZF69y+JJpe0SRzyPikvOJywFuM8uAM1zOqSEPxyvnIsGx7FS145TliL8nIOBhsxU4rPxSwNdFZw01FzRWZ6zXlv5Kiw1kQq6+vxPFmczJLgYhSEFwfwsV7ozZi868GwZ0TIc9oPU9E6/1tH8t/0mQO0+ZO40eBUW9wGlzeXt/Sco7BwHy+RJHoRaXEzCijsrNwIdEzZfxuYGxsbKIiUjJg9U30YOYpQptIY4Ke0b0M9ScMD6sTVTWU6UPmrX5BNyw73x9H3J08wEU+eYCG6Elw65/tkDjg7uKHLo4PHKP346CA7Gg22Tm+Dw9Xm5skw8IoQGTYltBcXBgcOq+Dhm3V/CsTe8HBue1HLPWowaJgBK9N2dt1+WPo/8ntw62/nNBmIJZJGuEuR5K3G48OcyVRHCRbAFHvz+Jn6TRfJMuSNgNuKottAG3UCM+ZFPbGaRXIVB62F1bi3+haZ47bSVWYUhC+VUiIrnMg2KDkFoDRgLSlcMVpkOFvsjOOEFlYscVvoMWx7s6KV5/9rVpnQFXaGLqk1FGv3ROT4qhNOQtJamYZpR/4GdYllKSO67+ADD7jF4bmxA8NQjw5GGz7nrWfrajBv7VQQfI6D5GqA+Q0NDwN8ZJQqL9JyfPioYOsDiHrMrAGjvyUsoIc30oJZUQSfF8w3/v051ADso5OTtL5MiRG4DQUb6Lh+fiqfaUaKcozusTDLX7EbJPPleTLeHGy9bF3LcK90YG4VXr+Dx23xgTU6T/5x6KXndEcbiy3pIpZTMPcPzoyN4CFPxZVgnlQNhLTLWgmvEFA+5gAcibePAPnaFvWV8PAbfl1n9TzFFPJgghv+04TgUnu4EDM0/XjePJ+nZ2Bv82I6hn/mMhV3SFra4CKJItjPiH37t74m8zkHKQZVluNItKbI4sPYEiBeDe7xnfc6viWnG27KHDP8Ae22pxO+ohIecR8YjJYuMNds4QZPdeGAOm1Tf36OlbRMO65PyR0oIvV3wyabY3NjoMlt+5Lkuoyz/bfus/0z07XUhSQfnEjj4XK9X1BTqUquxSK3QSma30DdhHJtKxKq2qSMW99dbX3XuvxWEveL147PvMB/cYZzBn4AykA94fBbSZomWjo2w7bGtFSFZMQAzhHWsnWFeJQNOIOrAIc63RsERqTUDl9cDV9oK7TnBxkVgDHA7+RWxvNKf57ikil1MfJX8AFcnIWBM4SlgcCgVbbZWgKAXri4lCvXz1MstBdXL/y2BPgMmHjBJQcvJfkb7f6czoN9NjzUzAQ3gbWeEgtR19myx4SvS+cF27YUrssS9pQ8PzF1rr0dev88fQglo0MfrLOW9vxgBNfe6NgmhJS6zo2f8kCidr6Dbzdac1/yKykafE8DSWggJ8AKL77HlZc4lN5w4umkbrnw2+USk6fbjEiuy8BRd2rjORKNsroHpzL9MR4Szfxiuhx5iVznBSGIJR6Ed49sw5xQkm/YlnNbpuP8XLsbJIOG8F9OXMx8z4gxwKD8fN+TJ7bDSnoIwkCVld0akfvQ74R5YzMVJZWbQsFmKdLgNCcJro21aalxnTwenLjrVeu2Z71s5PdVRuopDsE5UVKgvtC9VipmMmScVn5giZMmqXU8RQ6YdE6oiEp9X2LBu+z8LZI35n7DNLvWfvR91L4FJjB5nBil/mpt3d9uNiOmEEkPc3wMoAgrIPqNg+amFhzxA+si5oJAOXt0IzVXddTnJW4lEDr1OLLZ4Roa1sYSrE2HHTkpenEHMNcdONmTj4+jV10YRivAKUILwkQqGP9zQDMi50Tw9EWTpsfkQn3B2JSd4TKVBWaaMomWtaVutmWT974y3X7R6rbk/jRn4GBAb2UOPj4eES6u6N+YOIS78MzxpBePzV7DblvMBfZNzhS7XHL+Hn9/IB6kvLS1Yx/jAKZYEhqfTHBWsH9YJrEJgimQ5RCTr7mjSmmMo2bWEzsIqLntvG+x6b5UsWN6JiIArlZ37Mxevn/vFKydZWx1x8dLUDq2KkCZnNgr5Ccn4TKSK981LgRWONwXpAHBtmPSF417MSQDGtA0PJy9WS6gN2mCsGhsPzhdluYdMrNDfRsEHzX7ZaZkygavgA+uYWUhx9Y1zlQiKOXbI2XYbv7MV4Z00uZyBNusXpikcT5uFmyTnSFZyk2a59lpDTFAz1/NMmFmgohEq47UncQnFmVKeOykeyKS26SwtgKKg0LNZIvDUk3TOAemmZn2m2PIMjhvO3Muc9J0oTolqqMnuBGdusqsG4WzXCQJyFGKQbk5qmSLVYKsJ3Kq2N0BzYTOiNTvy8LmsF13Ayll4bwK4Ldc8c0fkj4yhEpivKLq1eSwi7Kq3YvWDQ9vBaY5nlMjDBFcXb+Iljs2cWhRbKLUuCl7IfvATTWFfcHl4JGZFaEv5Z0o90p3C8MwVWTV4oaO159YNlnv/I2Glr9yr0ZKM5dMmGeaYddIDI3UYkfYxtpjf6hevJlGHBL7lBmwIYhSNWq2oxfaLi5K9WUSqcllqA9rXxp93jt/6kJuGYk6qRb/YrboQCHcf31eT0amlrgQSBLJqoncl2WFdaIHjBm8NQ/MgIHOHhsaxB24kaTGyDR7oXVe3FXnhVfHkCHVBMGpDYLvhXg5sHvowYgvFBvFtjyfdrNEMeowXWROa0sD4Fm6qRFfeSlt4ONd4LWfOSe+QIZ1olTJDz97MehNEW8eTsBf/WLc0BGMDguSGHD3EhE/EQbH1+LMDKAgm/uWJpKH2dF2BYZ11mU06tlY5BcZ8JVIKno1BR6c41IkGPLpz5GXgMdaDRdZni1WCz3JRhouf0N4reP7mSDaNORGsPbkgz9QrKseqSV0ERFr485xmK3IDm34HU/ksAdwg2KT6f6C8fV95KLxufBLCzCJg5NYsXUXUJIGaMCEI+ld5HWvoZUXa0ZIc2vp5wgp4/zhyd0Gm5aYqEuI1fP2Mk9lAoMCaXpgaNq5DxLrukSuus5Yff9ASwsXFjBum2YazDqE970QHvjsXalTtb9j/duB0GLfnbYTTspntD8YgydG6gh9HTHWTec+O9J7GJR3VtM54ZQ+WRlG9ypnG/nEyGNBkuRxBg6JNNyK5RqTD7rNiAaTlSL786bcqwWazWxDeyqEujFUkowG2L7ZBboxjBp/6NANAzo9Je6cIVuYpgJvYWHdqPfdTCLE6SwgeyWYQcB3w6Cz6cqY2iP1hOmFh0y16AfJ7LcEgw18g4c9uaFSGBsu9CGY8/c2+43RLuTqTWxKWZ6nIlbKmbJvg/OizP4o8ppEJxYr6REn3JzyA09Hw63pFc5/fCcfMSIqpaKA6jN27+sxNrI4e5bhglAjyMLG5dsYsVkaA11ffCsDGSsyhAr0szjOwSK+Z171vDk7knCwI/RyVAcnkf+HoyOiKP8ZO3R8cjqlWSaWHxrWOZOU1y6wIf60gYE8R/cB804Z831i0ls5fWov4fJp+tHt/wCnNpnm"
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
